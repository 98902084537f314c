"""A result is made once per key: the import reads a file once, however often its page runs again."""

from dashboard.remember import remembered


def test_a_result_is_made_again_only_when_its_key_changes():
    state: dict = {}
    made = []

    def make() -> int:
        made.append(1)
        return len(made)

    assert remembered(state, "report", ("file-1", "actions"), make) == 1
    assert remembered(state, "report", ("file-1", "actions"), make) == 1
    assert remembered(state, "report", ("file-1", "meetings"), make) == 2
    assert remembered(state, "preview", ("file-1", "meetings"), make) == 3
    assert len(made) == 3

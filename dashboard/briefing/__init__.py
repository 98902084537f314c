"""The commander's "Point de situation": one briefing model, written as PowerPoint and as PDF."""

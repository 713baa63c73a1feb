"""Writing a checked report out: the Word file (``docx``), its PDF, and the starter a new report begins from."""

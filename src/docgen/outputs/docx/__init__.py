"""The Word file: the official layout as a docxtpl template, and rendering reports into it."""

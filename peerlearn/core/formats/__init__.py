"""Date formats where Django's own would mislead the platform's readers (``FORMAT_MODULE_PATH``)."""

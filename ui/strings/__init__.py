"""UI strings of individual pages, one module per page: each defines STRINGS = {key: {"ja": ..., "en": ...}}.

ui.i18n merges every module of this package into its table at import; a key defined twice is an error.
"""

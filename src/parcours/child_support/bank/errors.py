"""The one error type of the bank file I/O."""


class BankFileError(ValueError):
    """A bank file that cannot be written or read; ``str(error)`` is a French sentence for the agent
    who sees it, saying what is wrong and where (which transfer, which statement entry)."""

"""The one error type of the bank file I/O."""


class BankFileError(ValueError):
    """A bank file that cannot be written or read; ``str(error)`` is a French sentence for the agent
    who sees it, saying what is wrong and where (which transfer, which statement entry)."""


def unreadable(error: OSError) -> str:
    """Why a file cannot be read, in French."""
    if isinstance(error, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(error, PermissionError):
        return "accès refusé"
    if isinstance(error, IsADirectoryError):
        return "c'est un dossier"
    return "erreur de lecture"

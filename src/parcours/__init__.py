"""parcours — la plateforme du parcours séparation d'une Caf."""

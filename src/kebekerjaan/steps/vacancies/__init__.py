"""SOP steps 2-3: gather job vacancies (gather), share them with alumni (share, poster)."""

"""What a long-running front door needs around the application object: tokens and sessions,
persistent jobs and reports (db.py), and the workers that run checks and indexing (workers.py).
No pipeline logic: the work itself is ``corroborator.app.Corroborator``'s."""

"""The monthly batch: run every report notebook for a period with papermill, export HTML, write index and manifest.

It knows notebooks, parameters and files, nothing about sales: it could render any notebook folder.
"""

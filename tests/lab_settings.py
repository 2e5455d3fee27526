"""JupyterLab settings for tests in a real browser: every cell in the page (no windowing, so
off-screen cells can be found) and no news or update pop-ups stealing clicks."""

LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "doNotDisturbMode": True,
        "fetchNews": "false",
    },
}

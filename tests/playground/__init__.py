"""The local playground: Block Kit as HTML, and the page that drives the desk."""

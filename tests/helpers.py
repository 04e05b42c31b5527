"""Shared by the tests: what an executed notebook shows."""


def outputs(nb) -> str:
    "All text the executed notebook shows (stream and plain-text outputs), never its source."
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text.append(out.get("text", "") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(text)

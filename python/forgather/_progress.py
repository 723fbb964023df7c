"""Training progress for Project.train(): a line updated in place in a Jupyter notebook, a
carriage-return line on a terminal, and a line every tenth of the run elsewhere."""

import sys
import time


def _describe(stats):
    step, total = stats["step"], stats["total_steps"]
    return (
        f"step {step}/{total}  loss {stats['loss']:.4f}  lr {stats['learning_rate']:.2e}  "
        f"{stats['tokens_per_second']:.0f} tok/s  {stats['elapsed_seconds']:.1f} s"
    )


def _notebook_display():
    """IPython's display function when running in a notebook kernel, else None."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return None
    try:
        from IPython import get_ipython
        from IPython.display import display

        ip = get_ipython()
    except ImportError:
        return None
    if ip is None or type(ip).__name__ != "ZMQInteractiveShell":
        return None
    return display


def make_progress(min_interval=0.25):
    """Returns (on_progress, done): the per-step callback and what to call at the end."""
    display = _notebook_display()
    last = {"time": 0.0, "text": None, "handle": None}

    interactive = display is not None or sys.stderr.isatty()

    def on_progress(stats):
        now = time.monotonic()
        final = stats["step"] >= stats["total_steps"]
        if interactive and not final and now - last["time"] < min_interval:
            return  # redrawing faster than this only costs time
        last["time"] = now
        text = _describe(stats)
        last["text"] = text
        if display is not None:
            from IPython.display import Pretty

            if last["handle"] is None:
                last["handle"] = display(Pretty(text), display_id=True)
            else:
                last["handle"].update(Pretty(text))
        elif sys.stderr.isatty():
            sys.stderr.write("\r" + text)
            sys.stderr.flush()
        else:
            total = max(stats["total_steps"], 1)
            if final or stats["step"] % max(total // 10, 1) == 0:
                print(text, file=sys.stderr, flush=True)

    def done():
        if display is None and sys.stderr.isatty() and last["text"] is not None:
            sys.stderr.write("\n")
            sys.stderr.flush()

    return on_progress, done

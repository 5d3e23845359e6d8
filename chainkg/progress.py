"""A spinner on stderr for work that takes more than about a second, saying what is being done.

::

    from chainkg import progress

    with progress.task("正在加载 {nodes:,} 个节点…", "Loading {nodes:,} nodes…", nodes=n) as t:
        for i, rec in enumerate(records):
            ...
            if not i & 4095:
                t.done = i            # or t.update(k) / t(k); the line shows a percentage when total is known
        t.stage("正在写入 {rows:,} 行…", "Writing {rows:,} rows…", rows=m)   # the next step of the same task

The line looks like ``⠹ 正在推送到 Neo4j：12,000 / 477,154 条关系（2%，5 秒）``. Its rules:

- **stderr only, and only a terminal**: nothing is written when stderr is not a TTY (a pipe, a file, a test's
  capture), when ``CHAINKG_PROGRESS=0``, when ``TERM=dumb``, or until :func:`enable` was called — the ``chainkg``
  command calls it; a script using the Python API stays silent unless it calls it too. stdout is never touched,
  so a command's output is byte-identical with or without a terminal.
- **delayed start**: nothing is drawn until the outermost task has run for :data:`DELAY` seconds
  (``CHAINKG_PROGRESS_DELAY`` overrides it; ``0`` draws the first frame at once, which the tests use), so a quick
  command never flickers.
- **cheap for the work**: the work only stores counts in the task (``t.done = i`` is an attribute store); a
  background thread draws :data:`RATE` times a second. While the work is inside one long C call that holds the
  interpreter lock (``json.loads`` of a big file), the spinner pauses and catches up afterwards.
- **nesting**: a task started inside another takes over the line while it runs (the innermost task is what is
  being done now) and hands it back when it ends.
- **clean exit**: when the outermost task ends — normally, by an exception or by Ctrl-C — the drawing thread is
  stopped and the line is erased (``\\r`` + erase-to-end-of-line) before anything else is printed.
- **language**: Chinese unless :func:`language` says ``en`` (``CHAINKG_LANG=en``); English as well when the
  terminal's encoding cannot show Chinese.

The terminal width is read at every frame; the line is cut to fit (CJK characters count two columns), and
control characters from data (file names) are shown escaped. Open tasks from one thread, and print nothing
(stdout shares the terminal) while a task is open: end it first — its exit erases the line.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

#: Seconds the outermost task runs before anything is drawn (env ``CHAINKG_PROGRESS_DELAY``).
DELAY = 1.0
#: Frames per second once drawing.
RATE = 8
SWITCH_ENV = "CHAINKG_PROGRESS"
DELAY_ENV = "CHAINKG_PROGRESS_DELAY"
LANG_ENV = "CHAINKG_LANG"

_SPIN_UTF8 = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_SPIN_ASCII = "|/-\\"
_CLEAR = "\r\x1b[K"

_enabled = False
_lang: str | None = None
_screen: _Screen | None = None


def language() -> str:
    """The language of progress messages: ``en`` or ``zh`` (the default): what :func:`enable` was given (the
    CLI's ``--lang``), else ``CHAINKG_LANG``."""
    if _lang is not None:
        return _lang
    return "en" if os.environ.get(LANG_ENV, "").strip().lower().startswith("en") else "zh"


def enable(on: bool = True, lang: str | None = None) -> None:
    """Allow progress lines in this process (the ``chainkg`` command does, with its ``--lang``; library use is
    silent by default)."""
    global _enabled, _lang
    _enabled = on
    _lang = lang


def active() -> bool:
    """True when a task started now could be drawn: enabled, stderr a terminal, not switched off.

    Call sites use it to skip work that only a message needs (counting rows for the text).
    """
    if _screen is not None:
        return True
    if not _enabled or os.environ.get(SWITCH_ENV, "").strip() in ("0", "false", "no", "off"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError, OSError):  # a closed or replaced stream
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, DELAY)))
    except ValueError:
        return DELAY


class Task:
    """One piece of work on the progress line; see :func:`task`. Counts are plain attributes."""

    __slots__ = ("_screen", "done", "en", "fields", "total", "zh")

    def __init__(self, zh: str, en: str | None, total: int | None, fields: dict[str, Any]) -> None:
        self.zh = zh
        self.en = en if en is not None else zh
        self.total = total
        self.fields = fields
        #: Units of work done so far (of ``total``); set it or call :meth:`update`.
        self.done = 0
        self._screen: _Screen | None = None

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units done."""
        self.done += n

    __call__ = update  # so a task is the ``update(n)`` callable loaders and pushes take

    def stage(self, zh: str, en: str | None = None, *, total: int | None = None, **fields: Any) -> None:
        """Switch to the next step: a new message (and total); the count starts again at 0."""
        self.zh, self.en, self.total, self.fields, self.done = zh, en if en is not None else zh, total, fields, 0
        if self._screen is not None:
            self._screen.redraw()

    def text(self, lang: str) -> str:
        """The message in ``lang``, its fields (and ``done``, ``total``) filled in."""
        template = self.en if lang == "en" else self.zh
        return template.format(done=self.done, total=self.total, **self.fields)

    def __enter__(self) -> Task:
        global _screen
        if _screen is None and active():
            _screen = _Screen(sys.stderr, _delay())
        if _screen is not None:
            self._screen = _screen
            _screen.push(self)
        return self

    def __exit__(self, *exc: object) -> None:
        global _screen
        screen, self._screen = self._screen, None
        if screen is not None and screen.pop(self):
            _screen = None


def task(zh: str, en: str | None = None, *, total: int | None = None, **fields: Any) -> Task:
    """A progress task to use as a context manager: ``with task("正在…", "Doing…", n=…) as t: …``.

    ``zh`` and ``en`` are :meth:`str.format` templates over ``fields`` plus ``done`` and ``total``
    (``"正在推送到 Neo4j：{done:,} / {total:,} 条关系"``). With ``total`` the line adds a percentage.
    Outside a terminal the task only counts; nothing is drawn and no thread is started.
    """
    return Task(zh, en, total, fields)


def _escape(text: str) -> str:
    """Data (a file name) safe on one terminal line: control and line-breaking characters escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in " \u3000" else f"\\x{ord(c):02x}" if ord(c) < 0x100
                   else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text)


def _fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` terminal columns (East Asian wide characters take two)."""
    from unicodedata import east_asian_width

    width = 0
    for i, c in enumerate(text):
        width += 2 if east_asian_width(c) in ("W", "F") else 1
        if width > columns:
            return text[:i]
    return text


class _Screen:
    """The progress line of this process: a stack of tasks, one drawing thread, one lock."""

    def __init__(self, stream: TextIO, delay: float) -> None:
        import threading

        self.stream = stream
        self.delay = delay
        self.stack: list[Task] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.shown = False  # something is on the line now
        self.broken = False  # writing failed once: stay quiet
        self.frame = 0
        self.encoding = getattr(stream, "encoding", None) or "ascii"
        self.spin = _SPIN_UTF8 if _encodes(_SPIN_UTF8, self.encoding) else _SPIN_ASCII
        self.chinese_ok = _encodes("正在加载节点关系（，）…", self.encoding)
        self.thread = threading.Thread(target=self._run, name="chainkg-progress", daemon=True)

    # ------------------------------------------------------------------ stack
    def push(self, t: Task) -> None:
        with self.lock:
            self.stack.append(t)
            first = len(self.stack) == 1
            if (first and self.delay <= 0) or self.shown:
                self._draw()
        if first:
            self.thread.start()

    def pop(self, t: Task) -> bool:
        """Remove ``t``; True when it was the last task (then the line is erased and the thread stopped)."""
        with self.lock:
            if t in self.stack:
                self.stack.remove(t)
            last = not self.stack
            if not last and self.shown:
                self._draw()
        if last:
            self.stop.set()
            try:
                if self.thread.is_alive():
                    self.thread.join(timeout=2)
            finally:  # erase the line even if a second Ctrl-C lands in the join
                with self.lock:
                    if self.shown and not self.broken:
                        self._write(_CLEAR)
                    self.shown = False
        return last

    def redraw(self) -> None:
        with self.lock:
            if self.shown:
                self._draw()

    # ---------------------------------------------------------------- drawing
    def _run(self) -> None:
        if self.delay > 0 and self.stop.wait(self.delay):
            return
        interval = 1.0 / RATE
        while True:
            with self.lock:
                if self.stop.is_set():  # the last task ended while we waited for the lock
                    return
                self._draw()
            if self.stop.wait(interval):
                return

    def _draw(self) -> None:
        """Write the innermost task's line (the caller holds the lock)."""
        if not self.stack or self.broken:
            return
        lang = language()
        if lang == "zh" and not self.chinese_ok:
            lang = "en"
        t = self.stack[-1]
        seconds = int(time.monotonic() - self.started)
        parts = []
        if t.total:
            parts.append(f"{min(100, 100 * t.done // t.total)}%")
        parts.append(f"{seconds} 秒" if lang == "zh" else f"{seconds} s")
        tail = ("（" + "，".join(parts) + "）") if lang == "zh" else (" (" + ", ".join(parts) + ")")
        line = f"{self.spin[self.frame % len(self.spin)]} {_escape(t.text(lang))}{tail}"
        if not self.chinese_ok:  # a terminal in ASCII or Latin-1: no ellipsis; anything else unknown becomes ?
            line = line.replace("…", "...").encode(self.encoding, "replace").decode(self.encoding)
        self.frame += 1
        self._write("\r" + _fit(line, self._columns() - 1) + "\x1b[K")
        self.shown = True

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            return 80

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away (closed, hung up): stop drawing, keep working
            self.broken = True


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True

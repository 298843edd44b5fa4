#!/usr/bin/env python3
"""gbrelay.py ENCODING -- CMD...: run CMD on a pseudo-terminal and translate
between the outer terminal (UTF-8, e.g. a tmux pane) and CMD's ENCODING
(e.g. GB18030): what CMD writes is decoded from ENCODING and written as
UTF-8; what is typed is decoded from UTF-8 and passed on in ENCODING. The
window size follows the outer terminal. (luit does this too, but crashes on
GBK/GB18030 on some systems.) Used by tests/tui/four_people.sh."""
import codecs, fcntl, os, pty, select, signal, struct, sys, termios, tty

def main():
    enc, cmd = sys.argv[1], sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    def winch(*_):
        try:
            sz = fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8)
            fcntl.ioctl(fd, termios.TIOCSWINSZ, sz)
            os.kill(pid, signal.SIGWINCH)
        except OSError:
            pass
    signal.signal(signal.SIGWINCH, winch)
    winch()
    old = termios.tcgetattr(0)
    tty.setraw(0)
    dec_out = codecs.getincrementaldecoder(enc)("replace")
    dec_in = codecs.getincrementaldecoder("utf-8")("replace")
    try:
        while True:
            try:
                r, _, _ = select.select([0, fd], [], [])
            except InterruptedError:
                continue
            if fd in r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                os.write(1, dec_out.decode(data).encode("utf-8"))
            if 0 in r:
                data = os.read(0, 4096)
                if not data:
                    break
                os.write(fd, dec_in.decode(data).encode(enc, "replace"))
    finally:
        termios.tcsetattr(0, termios.TCSAFLUSH, old)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else 0)

main()

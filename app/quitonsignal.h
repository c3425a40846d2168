// SIGTERM and SIGINT close the windows the way the person would (settings saved, model threads joined) instead of
// killing the process mid-write: a session manager, `kill` or Ctrl+C in the terminal end the app cleanly.
#pragma once

namespace ebm {

//! \brief routes SIGTERM and SIGINT to QApplication::closeAllWindows() through a self-pipe (the handler only writes
//! one byte; the GUI thread does the rest). Call once, after the QApplication exists.
void quitOnTerminationSignals();

} // namespace ebm

// `ebmlab render`: the window's figures without a display, from the options of `ebmlab field` and the window's own.
#pragma once

#include "headlessrender.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace ebm::cli {

struct RenderArgs
{
    RenderInput input;
    std::string out; //!< the figure (.png, .pdf, .svg); empty for a sweep
    // --sweep-beta FROM:TO:COUNT --frames DIR
    bool sweep = false;
    double sweepFrom = 0.01;
    double sweepTo = 100.0;
    int sweepFrames = 60;
    std::string framesDirectory;
};

//! \brief the options after "render" (the data read or generated; nothing drawn, no window); throws CliError
RenderArgs parseRenderArgs(const std::vector<std::string> &args);

//! \brief runs `ebmlab render` (\a args are the options after "render"): checks that the output can be written,
//! creates the QApplication on the offscreen platform when there is none, draws, writes. Returns 0, or 2 with one
//! line on \a err when the figure cannot be made; bad input throws CliError before anything is drawn or written.
int runRender(const std::vector<std::string> &args, std::ostream &err);

//! \brief the --help block of `ebmlab render`
std::string renderUsage();

} // namespace ebm::cli

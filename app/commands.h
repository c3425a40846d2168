// The headless subcommands of ebmlab (data, field): parse, compute with the core, write atomically.
#pragma once

#include "math/dataset.h"
#include "math/ellipseebm.h"
#include "math/field.h"
#include "math/grid.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace ebm::cli {

struct DataArgs
{
    DatasetSpec spec;
    bool horn = false;
    std::string out;
};

struct FieldArgs
{
    EllipseParams w;
    LatentSpec latents = LatentSpec::sampled(48);
    FieldRequest request;
    Grid grid;
    std::string out;
};

//! \brief the options after "data"; throws CliError
DataArgs parseDataArgs(const std::vector<std::string> &args);
//! \brief the options after "field"; throws CliError
FieldArgs parseFieldArgs(const std::vector<std::string> &args);

//! \brief true when \a word names a headless subcommand (or asks for help/version)
bool isHeadlessCommand(const std::string &word);
//! \brief runs argv[1..] as a subcommand; returns the exit status (0, or 2 on bad input with one line on err)
int runHeadless(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

std::string usageText();

} // namespace ebm::cli

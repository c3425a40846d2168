// `ebmlab train`: full-batch gradient descent on w for one loss of MODEL.md §3, the trace written as CSV.
#pragma once

#include "math/trainer.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace ebm::cli {

struct TrainArgs
{
    TrainingConfig config;
    int epochs = 0;
    std::vector<Vec2> data; //!< read from --data, or generated from --seed and --n
    std::string out;
};

//! \brief the points of the CSV \a path given as --data (header y1,y2; at least one; within +-1e6); throws CliError
std::vector<Vec2> readData(const std::string &path);

//! \brief the options after "train", with the data read or generated; throws CliError
TrainArgs parseTrainArgs(const std::vector<std::string> &args);

//! \brief runs `ebmlab train` (\a args are the options after "train"): writes "epoch,w1,w2,loss" rows for epochs
//! 0..K to --out. Returns 0; 1 when training diverged (the finite part of the trace is written, one line on \a err);
//! 2 when the file cannot be written (one line on \a err). Bad input throws CliError before anything is written.
int runTrain(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

//! \brief the --help block of `ebmlab train`
std::string trainUsage();

} // namespace ebm::cli

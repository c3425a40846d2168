// `--model kmeans|sparse` on `ebmlab field` and `ebmlab train`: the family's own options, fields through
// evaluateModelField and training traces as CSV. `--model ellipse` (the default) keeps the ellipse's commands as
// they were, byte for byte: commands.cpp strips the option and runs them unchanged.
#pragma once

#include "math/energymodel.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace ebm::cli {

//! The model named by --model (ellipse when absent) and the arguments without it.
struct ModelChoice
{
    ModelKind kind = ModelKind::Ellipse;
    std::vector<std::string> rest;
};

//! \brief finds --model NAME (or --model=NAME) in \a args; throws CliError on an unknown name or a missing value
ModelChoice splitModelOption(const std::vector<std::string> &args);

//! What `field` and `train` of K-means or sparse coding build: the model after its initialisation, and the data.
struct FamilySetup
{
    std::unique_ptr<EnergyModel> model;
    std::vector<Vec2> data;
    int steps = 0;             //!< Lloyd or gradient steps (for field: taken before the field is computed)
    double learningRate = 0.1; //!< sparse coding's eta
    std::string out;
};

//! \brief `ebmlab field --model kmeans|sparse ...` (\a args without --model); 0, or 2 with one line on \a err when
//! the file cannot be written; bad input throws CliError before anything is written
int runFamilyField(ModelKind kind, const std::vector<std::string> &args, std::ostream &err);
//! \brief `ebmlab train --model kmeans|sparse ...`: writes "epoch,loss,<parameters>" rows for steps 0..S; 1 when the
//! loss stopped being finite (the finite rows are written), 2 when the file cannot be written
int runFamilyTrain(ModelKind kind, const std::vector<std::string> &args, std::ostream &err);
//! \brief the CSV header of a training trace: epoch,loss then w<k>_1,w<k>_2 per centroid (K-means) or
//! w<j>_0,w<j>_1,w<j>_2 per atom (sparse; row 0 is the constant coordinate of y_dot)
std::string familyTraceHeader(const EnergyModel &model);

//! \brief the --help block of --model
std::string familyUsage();

} // namespace ebm::cli

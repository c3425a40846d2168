// Where the lab of `ebmlab render` comes from besides the ellipse options: a saved session (--session), or one of
// the lecture's other EBMs (--model kmeans|sparse with the family's options).
#pragma once

#include "cliargs.h"
#include "headlessrender.h"

#include <string>
#include <vector>

namespace ebm::cli {

//! The options that describe the lab itself; a session gives all of them, so they do not go with --session.
extern const std::vector<std::string> kLabOptions;
//! The family's own options on render (as on field and train).
extern const std::vector<std::string> kFamilyOptions;

//! \brief reads the session at \a path into \a input (state, data, view, training run, lesson); throws CliError
//! naming the file and the first problem, or the lab option given beside it (\a modelGiven: --model was)
void useSession(const Options &o, bool modelGiven, const std::string &path, RenderInput &input);

//! \brief the model named by --model \a kind with --k / --atoms / --alpha / --init-seed on the data \a input
//! shows (K-means' centroids start at K distinct data points, the dictionary as drawn by the seed); throws CliError
void useFamilyModel(const Options &o, ModelKind kind, RenderInput &input);

} // namespace ebm::cli

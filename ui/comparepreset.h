// A configuration of the compare view: two training runs to put side by side (a lesson sets one up).
#pragma once

#include "math/trainer.h"

#include <QString>

#include <array>

namespace ebm {

struct ComparePreset
{
    QString explanation;                   //!< shown above the two runs
    std::array<TrainingConfig, 2> configs; //!< run A (left) and run B (right); init and latents come from the lab
    int epochs = 200;                      //!< playing stops there
    bool heatmap = true;                   //!< the heatmap of each run's F under its manifold
};

} // namespace ebm

// What training does to the manifold, as arrows on the plane: each data point's pull and each negative's push.
#pragma once

#include "math/ellipseebm.h"
#include "observationplane.h"

#include <vector>

namespace ebm {

struct TrainingArrows
{
    std::vector<PlaneArrow> pulls;  //!< from where the model infers each data point, to the point
    std::vector<PlaneArrow> pushes; //!< from where the model infers each negative, away from it
};

//! \brief each data point y pulls the manifold where the model infers it, ȳ_β(y) (g(ž) at zero temperature);
//! each negative ŷ pushes its inferred point ȳ_β(ŷ) away from it, an arrow 0.35 (ȳ − ŷ) long
TrainingArrows trainingArrows(const EllipseEbm &model, double beta, const std::vector<Vec2> &data,
                              const std::vector<Vec2> &negatives);

} // namespace ebm

// What training does to the manifold, as arrows on the plane: each data point's pull and each negative's push.
#pragma once

#include "math/ellipseebm.h"
#include "observationplane.h"

#include <cstddef>
#include <vector>

namespace ebm {

struct TrainingArrows
{
    std::vector<PlaneArrow> pulls;  //!< from where the model infers each data point, to the point
    std::vector<PlaneArrow> pushes; //!< from where the model infers each negative, away from it
};

//! At most this many pulls and as many pushes are drawn: thousands of arrows hide the manifold and made every
//! repaint of the plane take hundreds of milliseconds (64 negatives for each of 50 points are 3200 pushes).
constexpr std::size_t kMaxArrowsEach = 160;

//! \brief each data point y pulls the manifold where the model infers it, ȳ_β(y) (g(ž) at zero temperature);
//! each negative ŷ pushes its inferred point ȳ_β(ŷ) away from it, an arrow 0.35 (ȳ − ŷ) long;
//! of more than \a maxEach points or negatives, an evenly spread \a maxEach (the same ones while the set stays)
TrainingArrows trainingArrows(const EllipseEbm &model, double beta, const std::vector<Vec2> &data,
                              const std::vector<Vec2> &negatives, std::size_t maxEach = kMaxArrowsEach);

} // namespace ebm

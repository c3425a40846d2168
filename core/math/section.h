// The free energy along a straight section through the observation plane (the lecture's cross-section figure).
// Plain C++ + Eigen: no Qt here.
#pragma once

#include "math/ellipseebm.h"

#include <atomic>
#include <vector>

namespace ebm {

//! A straight section through the observation plane from `from` to `to`.
struct SectionLine
{
    Vec2 from{0.0, -3.0};
    Vec2 to{0.0, 3.0};
};

//! F_beta along the section for one beta; beta may be kInfiniteBeta (cold).
struct SectionCurve
{
    double beta = kInfiniteBeta;
    std::vector<double> values; //!< values[i] = F_beta(points[i])
};

struct SectionProfile
{
    //! The signed coordinate along the line: y2 for a vertical line, y1 for a horizontal one, else the distance
    //! from `from`. Monotonic, but decreasing when the line runs against its axis.
    std::vector<double> s;
    std::vector<Vec2> points;
    std::vector<SectionCurve> curves; //!< one per requested beta, in the order requested
};

//! \brief F_beta at `samples` evenly spaced points of the line (ends included, exactly) for each beta.
//! Fewer than 2 samples cannot include both ends: the profile then has no points (and empty curves).
//! A set \a cancel flag stops it between points (the profile is then incomplete and must be dropped).
SectionProfile sectionProfile(const EllipseEbm &model, const SectionLine &line, const std::vector<double> &betas,
                              int samples, const std::atomic<bool> *cancel = nullptr);

//! The reference temperatures drawn next to the current one: cold (inf), warm and hot, in that order.
//! Along y1 = 0 through the default model, warm (beta = 1) keeps the two minima of the cold curve with a centre bump
//! of about 1.04 (cold: 2.25), and hot (beta = 0.1) has the single minimum of the near-parabola at y2 = 0.
std::vector<double> referenceBetas();

} // namespace ebm

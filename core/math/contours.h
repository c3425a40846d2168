// Level sets of a field sampled on a grid, for contour lines and the margin level F = m.
#pragma once

#include "math/ellipse.h"
#include "math/grid.h"

#include <Eigen/Core>

#include <vector>

namespace ebm {

struct ContourSegment
{
    Vec2 a = Vec2::Zero();
    Vec2 b = Vec2::Zero();
};

//! \brief the set {field = level} by marching squares: straight segments across each grid cell, crossing
//! points linearly interpolated along the cell edges; saddle cells decided by the cell's mean value.
//! values(j, i) is the field at (grid.y1At(i), grid.y2At(j)); non-finite corners skip their cell.
std::vector<ContourSegment> contourSegments(const Eigen::MatrixXd &values, const Grid &grid, double level);

//! \brief \a count levels evenly spaced strictly inside (lo, hi): lo + (hi - lo) k / (count + 1), k = 1..count
std::vector<double> evenLevels(double lo, double hi, int count);

} // namespace ebm

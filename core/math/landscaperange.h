// Which square of w-space the loss landscape shows: it follows the run (start, data scale, path), not a fixed box.
#pragma once

#include "math/ellipse.h"

#include <vector>

namespace ebm {

//! The square [lower, upper]^2 of (w1, w2) the landscape covers.
struct WRange
{
    double lower = 0.0;
    double upper = 3.0;

    //! \brief lower <= w1, w2 <= upper
    bool contains(const EllipseParams &w) const
    {
        return w.w1 >= lower && w.w1 <= upper && w.w2 >= lower && w.w2 <= upper;
    }
    bool operator==(const WRange &) const = default;
};

//! \brief the square w-range over the origin, the data's own scale (w_i up to 1.3 max_k |y_k|, where an ellipse
//! through the data lies) and every finite w of \a path (the start first), each path point at least 10% of the
//! width inside; the ends rounded outward to a multiple of a 1-2-5 step of about a sixth of the width
WRange landscapeRange(const std::vector<Vec2> &data, const std::vector<EllipseParams> &path);

} // namespace ebm

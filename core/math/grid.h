// A rectangular grid over the observation plane.
#pragma once

#include <string>

namespace ebm {

//! nx x ny points from (x0, y0) to (x1, y1), both ends included; y2 is the slow (row) index.
struct Grid
{
    double x0 = -3.0, x1 = 3.0;
    double y0 = -3.0, y1 = 3.0;
    int nx = 121, ny = 121;

    //! \brief y1 coordinate of column i: x0 + (x1 - x0) i / (nx - 1), exactly x1 at the end
    double y1At(int i) const;
    //! \brief y2 coordinate of row j: y0 + (y1 - y0) j / (ny - 1), exactly y1 at the end
    double y2At(int j) const;
    //! An empty string when usable, else what is wrong with it.
    std::string problem() const;

    bool operator==(const Grid &) const = default;
};

} // namespace ebm

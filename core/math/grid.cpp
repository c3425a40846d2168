#include "math/grid.h"

#include <cmath>

namespace ebm {

namespace {

double lerp(double lo, double hi, int i, int n)
{
    return i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1);
}

} // namespace

double Grid::y1At(int i) const
{
    return lerp(x0, x1, i, nx);
}

double Grid::y2At(int j) const
{
    return lerp(y0, y1, j, ny);
}

std::string Grid::problem() const
{
    if (!(std::isfinite(x0) && std::isfinite(x1) && std::isfinite(y0) && std::isfinite(y1)))
        return "the range must be finite";
    if (!(x0 < x1) || !(y0 < y1))
        return "the range is empty: it needs X0 < X1 and Y0 < Y1";
    if (nx < 2 || ny < 2)
        return "the grid needs at least 2 points in each direction";
    if (static_cast<long long>(nx) * ny > 64LL * 1024 * 1024)
        return "the grid has more than 64 Mi points";
    return {};
}

} // namespace ebm

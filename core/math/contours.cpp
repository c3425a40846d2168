#include "math/contours.h"

#include <cmath>

namespace ebm {

namespace {

// Corners in counter-clockwise order from (i, j); edge e joins corner e and corner e + 1.
struct Cell
{
    Vec2 corner[4];
    double value[4];
};

Vec2 crossing(const Cell &cell, int edge, double level)
{
    const int p = edge, q = (edge + 1) % 4;
    const double t = (level - cell.value[p]) / (cell.value[q] - cell.value[p]);
    return cell.corner[p] + t * (cell.corner[q] - cell.corner[p]);
}

} // namespace

std::vector<ContourSegment> contourSegments(const Eigen::MatrixXd &values, const Grid &grid, double level)
{
    std::vector<ContourSegment> segments;
    if (!std::isfinite(level))
        return segments;
    for (int j = 0; j + 1 < grid.ny; ++j) {
        for (int i = 0; i + 1 < grid.nx; ++i) {
            Cell cell;
            const int di[4] = {0, 1, 1, 0}, dj[4] = {0, 0, 1, 1};
            bool finite = true;
            int above = 0;
            for (int c = 0; c < 4; ++c) {
                cell.corner[c] = Vec2(grid.y1At(i + di[c]), grid.y2At(j + dj[c]));
                cell.value[c] = values(j + dj[c], i + di[c]);
                finite = finite && std::isfinite(cell.value[c]);
                above |= (cell.value[c] > level ? 1 : 0) << c;
            }
            if (!finite || above == 0 || above == 15)
                continue;
            // Edges whose two corners lie on opposite sides of the level.
            int edges[4], n = 0;
            for (int e = 0; e < 4; ++e) {
                if (((above >> e) & 1) != ((above >> ((e + 1) % 4)) & 1))
                    edges[n++] = e;
            }
            if (n == 2) {
                segments.push_back({crossing(cell, edges[0], level), crossing(cell, edges[1], level)});
                continue;
            }
            // A saddle (two opposite corners above): the mean says whether the centre joins them.
            const double mean = 0.25 * (cell.value[0] + cell.value[1] + cell.value[2] + cell.value[3]);
            const bool centreAbove = mean > level;
            const bool corner0Above = above & 1;
            if (centreAbove == corner0Above) { // corner 0's region reaches the centre: cut corners 1 and 3 off
                segments.push_back({crossing(cell, 0, level), crossing(cell, 1, level)});
                segments.push_back({crossing(cell, 2, level), crossing(cell, 3, level)});
            } else {
                segments.push_back({crossing(cell, 3, level), crossing(cell, 0, level)});
                segments.push_back({crossing(cell, 1, level), crossing(cell, 2, level)});
            }
        }
    }
    return segments;
}

std::vector<double> evenLevels(double lo, double hi, int count)
{
    std::vector<double> levels;
    if (!(std::isfinite(lo) && std::isfinite(hi) && hi > lo))
        return levels;
    for (int k = 1; k <= count; ++k)
        levels.push_back(lo + (hi - lo) * k / (count + 1));
    return levels;
}

} // namespace ebm

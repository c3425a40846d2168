#include "trainingarrows.h"

namespace ebm {

namespace {

//! Calls \a visit for every point of \a points, or for \a most of them evenly spread over the set.
template<typename Visit>
void forSpread(const std::vector<Vec2> &points, std::size_t most, Visit visit)
{
    const std::size_t n = points.size();
    if (n <= most) {
        for (const Vec2 &p : points)
            visit(p);
        return;
    }
    for (std::size_t k = 0; k < most; ++k)
        visit(points[k * n / most]);
}

} // namespace

TrainingArrows trainingArrows(const EllipseEbm &model, double beta, const std::vector<Vec2> &data,
                              const std::vector<Vec2> &negatives, std::size_t maxEach)
{
    TrainingArrows arrows;
    forSpread(data, maxEach, [&](const Vec2 &y) { arrows.pulls.push_back({model.infer(y, beta).posteriorMean, y}); });
    forSpread(negatives, maxEach, [&](const Vec2 &n) {
        const Vec2 from = model.infer(n, beta).posteriorMean;
        arrows.pushes.push_back({from, from + 0.35 * (from - n)});
    });
    return arrows;
}

} // namespace ebm

#include "trainingarrows.h"

namespace ebm {

TrainingArrows trainingArrows(const EllipseEbm &model, double beta, const std::vector<Vec2> &data,
                              const std::vector<Vec2> &negatives)
{
    TrainingArrows arrows;
    for (const Vec2 &y : data)
        arrows.pulls.push_back({model.infer(y, beta).posteriorMean, y});
    for (const Vec2 &n : negatives) {
        const Vec2 from = model.infer(n, beta).posteriorMean;
        arrows.pushes.push_back({from, from + 0.35 * (from - n)});
    }
    return arrows;
}

} // namespace ebm

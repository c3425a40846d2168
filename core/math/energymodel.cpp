#include "math/energymodel.h"

#include "math/dataset.h"
#include "math/parallelblocks.h"

#include <stdexcept>

namespace ebm {

std::optional<ModelKind> modelKindFromName(const std::string &name)
{
    if (name == "ellipse")
        return ModelKind::Ellipse;
    if (name == "kmeans")
        return ModelKind::KMeans;
    if (name == "sparse")
        return ModelKind::SparseCoding;
    return std::nullopt;
}

std::string modelKindName(ModelKind kind)
{
    switch (kind) {
    case ModelKind::Ellipse:
        return "ellipse";
    case ModelKind::KMeans:
        return "kmeans";
    case ModelKind::SparseCoding:
        return "sparse";
    }
    return {};
}

std::vector<Vec2> familyData(std::uint64_t seed, int count)
{
    DatasetSpec spec;
    spec.count = count;
    spec.x = 0.0;
    spec.noise = 0.05;
    spec.seed = seed;
    return ellipseSamples(spec);
}

double EnergyModel::loss(const std::vector<Vec2> &data) const
{
    if (data.empty())
        throw std::invalid_argument("the loss needs at least one data point");
    double sum = 0.0;
    for (const Vec2 &y : data)
        sum += zeroTemperature(y);
    return sum / static_cast<double>(data.size());
}

std::optional<Vec2> EnergyModel::fieldGradient(const FieldRequest &request, const Vec2 &y) const
{
    switch (request.kind) {
    case FieldKind::FreeEnergy:
        return gradY(y, request.beta);
    case FieldKind::ZeroTemperature:
        return gradY(y, kInfiniteBeta);
    default:
        return std::nullopt;
    }
}

std::optional<Eigen::MatrixXd> EnergyModel::evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                          const std::atomic<bool> *cancel) const
{
    Eigen::MatrixXd values(grid.ny, grid.nx);
    const bool done = parallelBlocks(grid.ny, threads <= 0 ? hardwareThreads() : threads, cancel, [&](int j) {
        for (int i = 0; i < grid.nx; ++i)
            values(j, i) = fieldValue(request, Vec2(grid.y1At(i), grid.y2At(j)));
    });
    if (!done)
        return std::nullopt;
    return values;
}

std::optional<Eigen::MatrixXd> evaluateModelField(const EnergyModel &model, const FieldRequest &request,
                                                  const Grid &grid, int threads, const std::atomic<bool> *cancel)
{
    if (const std::string problem = model.fieldProblem(request); !problem.empty())
        throw std::invalid_argument(problem);
    if (const std::string problem = grid.problem(); !problem.empty())
        throw std::invalid_argument(problem);
    return model.evaluateField(request, grid, threads, cancel);
}

std::optional<std::vector<GradientSample>> modelFieldGradients(const EnergyModel &model, const FieldRequest &request,
                                                               const Grid &grid, const std::atomic<bool> *cancel)
{
    std::vector<GradientSample> samples;
    if (request.kind == FieldKind::Posterior)
        return samples;
    for (int j = 0; j < grid.ny; ++j) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return std::nullopt;
        for (int i = 0; i < grid.nx; ++i) {
            const Vec2 y(grid.y1At(i), grid.y2At(j));
            if (const std::optional<Vec2> g = model.fieldGradient(request, y))
                samples.push_back({y, *g});
        }
    }
    return samples;
}

} // namespace ebm

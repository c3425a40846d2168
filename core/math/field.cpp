#include "math/field.h"

#include <cmath>

namespace ebm {

double fieldValue(const EllipseEbm &model, const FieldRequest &request, const Vec2 &y)
{
    switch (request.kind) {
    case FieldKind::FreeEnergy:
        return model.freeEnergy(y, request.beta);
    case FieldKind::ZeroTemperature:
        return model.zeroTemperature(y).value;
    case FieldKind::Energy:
        return model.energy(y, model.latents().snap(request.z));
    case FieldKind::Posterior:
        return model.posteriorAt(y, request.beta, request.z);
    }
    return 0.0;
}

std::string fieldProblem(const EllipseEbm &model, const FieldRequest &request)
{
    const bool needsBeta = request.kind == FieldKind::FreeEnergy || request.kind == FieldKind::Posterior;
    if (needsBeta && !(request.beta > 0.0))
        return "beta must be positive (or inf)";
    if (request.kind == FieldKind::Posterior && model.latents().isContinuous() && std::isinf(request.beta))
        return "the posterior of the continuous latent at beta = inf is a Dirac delta, not a field";
    if (!std::isfinite(request.z))
        return "z must be a finite number";
    return {};
}

std::optional<Eigen::MatrixXd> evaluateField(const EllipseEbm &model, const FieldRequest &request, const Grid &grid,
                                             const std::atomic<bool> *cancel)
{
    Eigen::MatrixXd values(grid.ny, grid.nx);
    for (int j = 0; j < grid.ny; ++j) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return std::nullopt;
        for (int i = 0; i < grid.nx; ++i)
            values(j, i) = fieldValue(model, request, Vec2(grid.y1At(i), grid.y2At(j)));
    }
    return values;
}

std::optional<std::vector<GradientSample>> fieldGradients(const EllipseEbm &model, const FieldRequest &request,
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
            Vec2 gradient;
            switch (request.kind) {
            case FieldKind::FreeEnergy:
                gradient = model.infer(y, request.beta).gradY;
                break;
            case FieldKind::ZeroTemperature:
                gradient = model.infer(y, kInfiniteBeta).gradY;
                break;
            default:
                gradient = energyGradY(y, model.latents().snap(request.z), model.params());
                break;
            }
            samples.push_back({y, gradient});
        }
    }
    return samples;
}

std::optional<FieldKind> fieldKindFromName(const std::string &name)
{
    if (name == "F")
        return FieldKind::FreeEnergy;
    if (name == "Finf")
        return FieldKind::ZeroTemperature;
    if (name == "E")
        return FieldKind::Energy;
    if (name == "posterior")
        return FieldKind::Posterior;
    return std::nullopt;
}

std::string fieldKindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::FreeEnergy:
        return "F";
    case FieldKind::ZeroTemperature:
        return "Finf";
    case FieldKind::Energy:
        return "E";
    case FieldKind::Posterior:
        return "posterior";
    }
    return {};
}

} // namespace ebm

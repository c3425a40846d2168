// Every field and its arrows over random parameter sets (propertycases.h): on a small random grid around the case's
// observation, the fast path agrees with the reference (1e-9 relative, MODEL.md §5) and is finite for F_beta, F_inf,
// E(y, z*) and P_beta(z* | y); the arrows are finite and are the gradients inference reports. A failure prints
// EBM_PROPERTY_SEED=..., which replays that case alone. Sanitizer builds draw a tenth of the cases;
// EBM_PROPERTY_CASES=n draws n.
#include "math/fastfield.h"
#include "math/field.h"
#include "propertycases.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <ctime>

using ebm::EllipseEbm;
using ebm::FieldKind;
using ebm::FieldRequest;
using ebm::Grid;
using ebm::Vec2;
using ebmtest::PropertyCase;

namespace {

constexpr double kContinuousShare = 0.01;

//! As tst_fastfield.cpp: 1e-9 relative with an absolute floor of 1e-12 (|y|^2 + |w|^2) for the energies (a value
//! that is ~0 by cancellation is known only to a few ulps of its terms) and 1e-15 for probabilities.
bool agrees(double fast, double reference, FieldKind kind, const Vec2 &y, const ebm::EllipseParams &w)
{
    const double floor = kind == FieldKind::Posterior ? 1e-15 : 1e-3 * (y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
    return std::abs(fast - reference) <= 1e-9 * std::max({std::abs(reference), floor, 1e-300});
}

} // namespace

class FieldPropertiesTest : public QObject
{
    Q_OBJECT

private slots:
    void fields();

private:
    void checkCase(PropertyCase &c);
};

void FieldPropertiesTest::fields()
{
    const int cases = ebmtest::propertyCaseCount(20000, 10);
    QElapsedTimer timer;
    timer.start();
    if (const auto seed = ebmtest::replaySeed()) {
        PropertyCase c = ebmtest::drawCase(*seed, kContinuousShare);
        checkCase(c);
        return;
    }
    for (int i = 0; i < cases; ++i) {
        PropertyCase c = ebmtest::drawCase(ebmtest::caseSeed(3, i), kContinuousShare);
        checkCase(c);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d random parameter sets in %.1f s (%.1f s of CPU)", cases, timer.elapsed() / 1e3,
          static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
}

void FieldPropertiesTest::checkCase(PropertyCase &c)
{
    const EllipseEbm model(c.w, c.latents());
    // 1 to 4 points a side, the observation at a corner, spanning up to 10^u of it.
    const double reach = ebmtest::logUniform(c.rng, 1e-3, 10.0);
    const Grid grid{c.y.x(),
                    c.y.x() + reach,
                    c.y.y() - reach,
                    c.y.y(),
                    1 + static_cast<int>(c.rng.uniform() * 4),
                    1 + static_cast<int>(c.rng.uniform() * 4)};
    const double z = ebmtest::between(c.rng, -10.0, 10.0);
    for (FieldKind kind :
         {FieldKind::FreeEnergy, FieldKind::ZeroTemperature, FieldKind::Energy, FieldKind::Posterior}) {
        const FieldRequest request{kind, c.beta, z};
        const QString what = QStringLiteral("%1, z* = %2, grid %3x%4 reach %5: ")
                                 .arg(QString::fromStdString(ebm::fieldKindName(kind)))
                                 .arg(z, 0, 'g', 17)
                                 .arg(grid.nx)
                                 .arg(grid.ny)
                                 .arg(reach, 0, 'g', 17);
        if (!ebm::fieldProblem(model, request).empty()) {
            // Only the continuous posterior at beta = inf (a Dirac delta) is refused.
            EBM_PROPERTY(kind == FieldKind::Posterior && c.count == 0 && std::isinf(c.beta), c, what);
            continue;
        }
        const Eigen::MatrixXd reference = *ebm::evaluateField(model, request, grid);
        const Eigen::MatrixXd fast = *ebm::evaluateFieldFast(model, request, grid, 1 + (c.seed & 1));
        EBM_PROPERTY(reference.allFinite() && fast.allFinite(), c, what);
        for (int i = 0; i < grid.nx && !QTest::currentTestFailed(); ++i) {
            for (int j = 0; j < grid.ny && !QTest::currentTestFailed(); ++j) {
                const Vec2 y(grid.y1At(i), grid.y2At(j));
                EBM_PROPERTY(agrees(fast(j, i), reference(j, i), kind, y, c.w), c,
                             what + QStringLiteral("at (%1, %2): fast %3, reference %4")
                                        .arg(y.x(), 0, 'g', 17)
                                        .arg(y.y(), 0, 'g', 17)
                                        .arg(fast(j, i), 0, 'g', 17)
                                        .arg(reference(j, i), 0, 'g', 17));
            }
        }
        if (QTest::currentTestFailed())
            return;
        // The arrows: finite, at the grid points, and what inference (or grad E) says there.
        const std::vector<ebm::GradientSample> arrows = *ebm::fieldGradients(model, request, grid);
        if (kind == FieldKind::Posterior) {
            EBM_PROPERTY(arrows.empty(), c, what);
            continue;
        }
        EBM_PROPERTY(arrows.size() == static_cast<size_t>(grid.nx * grid.ny), c, what);
        for (const ebm::GradientSample &a : arrows) {
            const Vec2 expected =
                kind == FieldKind::Energy
                    ? ebm::energyGradY(a.at, model.latents().snap(z), c.w)
                    : model.infer(a.at, kind == FieldKind::FreeEnergy ? c.beta : ebm::kInfiniteBeta).gradY;
            EBM_PROPERTY(a.gradient.allFinite() && a.gradient == expected, c,
                         what + QStringLiteral("arrow at (%1, %2)").arg(a.at.x()).arg(a.at.y()));
            if (QTest::currentTestFailed())
                return;
        }
    }
}

QTEST_APPLESS_MAIN(FieldPropertiesTest)
#include "tst_fieldproperties.moc"

// The fast field paths against the direct reference (evaluateField): the same layout, 1e-9 relative agreement.
#include "math/fastfield.h"
#include "math/field.h"
#include "math/rng.h"
#include "testhelpers.h"

#include "fuzzycompare.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

using ebm::EllipseEbm;
using ebm::EllipseParams;
using ebm::FastFieldStats;
using ebm::FieldKind;
using ebm::FieldRequest;
using ebm::Grid;
using ebm::LatentSpec;
using ebm::Vec2;

Q_DECLARE_METATYPE(ebm::FieldKind)

namespace {

double between(ebm::Rng &rng, double lo, double hi)
{
    return lo + (hi - lo) * rng.uniform();
}

//! Decoder weights with zeros, negatives, circles and needles among them.
EllipseParams randomWeights(ebm::Rng &rng, int draw)
{
    EllipseParams w{between(rng, -3.0, 3.0), between(rng, -3.0, 3.0)};
    switch (draw % 6) {
    case 1:
        w.w1 = 0.0;
        break;
    case 2:
        w.w2 = -std::abs(w.w2);
        w.w1 = -w.w2; // a circle
        break;
    case 3:
        w.w2 = 1e-3 * w.w1; // a needle
        break;
    case 4:
        w = {0.0, 0.0};
        break;
    default:
        break;
    }
    return w;
}

//! A grid whose sides are no multiple of any vector width or block, reaching out to |y| = 1e3. Every other one is
//! symmetric with an odd count, so that y1 = 0 and y2 = 0 are grid points.
Grid randomGrid(ebm::Rng &rng, int draw, int maxRows)
{
    const double reach[] = {2.5, 40.0, 1e3};
    const double r = reach[draw % 3];
    Grid g;
    g.nx = 1 + static_cast<int>(rng.uniform() * 70);
    g.ny = 1 + static_cast<int>(rng.uniform() * maxRows);
    if (draw % 2 == 0) {
        g.x0 = -r;
        g.x1 = r;
        g.y0 = -0.5 * r;
        g.y1 = 0.5 * r;
        g.nx |= 1;
        g.ny |= 1;
    } else {
        g.x0 = between(rng, -r, 0.5 * r);
        g.x1 = between(rng, g.x0 + 1e-3, r);
        g.y0 = between(rng, -r, 0.5 * r);
        g.y1 = between(rng, g.y0 + 1e-3, r);
    }
    return g;
}

//! The comparison every value must pass, as a fraction of the tolerance: 1e-9 relative (MODEL.md §5) with an
//! absolute floor of 1e-12 (|y|^2 + w1^2 + w2^2) for the energies. E(y, z) is a sum of terms of that size, so a
//! value that is ~0 by cancellation (on the manifold, or N = 1) is known only to a few ulps of those terms, in the
//! reference as much as in the fast path; the floor (~5000 ulps of them) leaves room for that rounding and is still
//! 1000 times below 1e-9 of them. Posterior values are probabilities: floor 1e-15.
double errorRatio(double fast, double reference, FieldKind kind, const Vec2 &y, const EllipseParams &w)
{
    const double floor = kind == FieldKind::Posterior ? 1e-15 : 1e-3 * (y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
    return std::abs(fast - reference) / (1e-9 * std::max({std::abs(reference), floor, 1e-300}));
}

} // namespace

class FastFieldTest : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithReference_data();
    void agreesWithReference();
    void continuousDistanceOnManyEllipses();
    void pitfallLargeBetaFarAway();
    void fallbackWhenTheProductUnderflows();
    void hotCellsUseExpm1();
    void layoutIsRowsByColumns();
    void cancelledBeforeStart();
    void cancelledWhileRunning();
    void invalidRequestsThrow();
};

void FastFieldTest::agreesWithReference_data()
{
    QTest::addColumn<int>("count"); // 0: continuous
    QTest::addColumn<FieldKind>("kind");
    QTest::addColumn<double>("beta");
    const double betas[] = {1e-6, 1e-3, 1.0, 1e3, 1e6, ebm::kInfiniteBeta};
    for (int n : {1, 2, 48, 1024, 0}) {
        const QByteArray latents = n ? "N=" + QByteArray::number(n) : "continuous";
        for (double beta : betas) {
            QTest::addRow("%s F beta=%g", latents.data(), beta) << n << FieldKind::FreeEnergy << beta;
            if (n > 0 || !std::isinf(beta)) // the continuous posterior at beta = inf is a delta, not a field
                QTest::addRow("%s posterior beta=%g", latents.data(), beta) << n << FieldKind::Posterior << beta;
        }
        QTest::addRow("%s Finf", latents.data()) << n << FieldKind::ZeroTemperature << 1.0;
        QTest::addRow("%s E", latents.data()) << n << FieldKind::Energy << 1.0;
    }
}

void FastFieldTest::agreesWithReference()
{
    QFETCH(int, count);
    QFETCH(FieldKind, kind);
    QFETCH(double, beta);
    // Fewer rows where the reference itself is slow (N = 1024, quadrature for the continuous F_beta).
    const bool costly = count == 1024 || (count == 0 && kind != FieldKind::ZeroTemperature);
    ebm::Rng rng(0x5eed + 7919 * static_cast<std::uint64_t>(count) + static_cast<std::uint64_t>(kind));
    double worst = 0.0;
    for (int draw = 0; draw < 6; ++draw) {
        const EllipseParams w = randomWeights(rng, draw);
        const Grid grid = randomGrid(rng, draw, costly ? 6 : 40);
        const EllipseEbm model(w, ebmtest::latentsFor(count));
        const FieldRequest request{kind, beta, between(rng, -7.0, 7.0)};
        const Eigen::MatrixXd reference = *ebm::evaluateField(model, request, grid);
        std::optional<Eigen::MatrixXd> first;
        for (int threads : {1, 2, 3}) {
            const std::optional<Eigen::MatrixXd> fast = ebm::evaluateFieldFast(model, request, grid, threads);
            QVERIFY(fast.has_value());
            QCOMPARE(fast->rows(), reference.rows());
            QCOMPARE(fast->cols(), reference.cols());
            if (!first) {
                first = fast;
            } else {
                // Threads share out whole columns; each cell is computed the same way whoever computes it.
                QVERIFY2(*fast == *first, "the values depend on the number of threads");
                continue;
            }
            for (int i = 0; i < grid.nx; ++i) {
                for (int j = 0; j < grid.ny; ++j) {
                    const Vec2 y(grid.y1At(i), grid.y2At(j));
                    const double ratio = errorRatio((*fast)(j, i), reference(j, i), kind, y, w);
                    worst = std::max(worst, ratio);
                    QVERIFY2(std::isfinite((*fast)(j, i)) && ratio <= 1.0,
                             qPrintable(QStringLiteral("draw %1, w = (%2, %3), y = (%4, %5): fast %6, reference %7")
                                            .arg(draw)
                                            .arg(w.w1, 0, 'g', 17)
                                            .arg(w.w2, 0, 'g', 17)
                                            .arg(y.x(), 0, 'g', 17)
                                            .arg(y.y(), 0, 'g', 17)
                                            .arg((*fast)(j, i), 0, 'g', 17)
                                            .arg(reference(j, i), 0, 'g', 17)));
                }
            }
        }
    }
    qInfo("worst error: %.3g of the tolerance", worst);
}

void FastFieldTest::continuousDistanceOnManyEllipses()
{
    // The vectorised root search against the reference's bisection on ellipses from needles (axis ratio 1e5) to
    // circles, at every scale, with points from deep inside to far outside, on the axes and next to the curve.
    ebm::Rng rng(20261122);
    double worst = 0.0;
    for (int draw = 0; draw < 400; ++draw) {
        EllipseParams w{std::pow(10.0, between(rng, -3.0, 2.0)), std::pow(10.0, between(rng, -3.0, 2.0))};
        if (draw % 5 == 1)
            w.w2 = w.w1 * (1.0 + 1e-6 * rng.uniform());
        if (draw % 3 == 0)
            w.w1 = -w.w1;
        if (draw % 4 == 0)
            w.w2 = -w.w2;
        const double reach = std::pow(10.0, between(rng, -3.0, 1.0)) * std::max(std::abs(w.w1), std::abs(w.w2));
        Grid grid{-reach, reach, -reach * between(rng, 0.1, 1.0), reach, 1 + 2 * (draw % 9), 1 + draw % 17};
        const EllipseEbm model(w, LatentSpec::continuous());
        const FieldRequest request{FieldKind::ZeroTemperature, 1.0, 0.0};
        const Eigen::MatrixXd fast = *ebm::evaluateFieldFast(model, request, grid, 1);
        const Eigen::MatrixXd reference = *ebm::evaluateField(model, request, grid);
        for (int i = 0; i < grid.nx; ++i) {
            for (int j = 0; j < grid.ny; ++j) {
                const Vec2 y(grid.y1At(i), grid.y2At(j));
                const double ratio = errorRatio(fast(j, i), reference(j, i), request.kind, y, w);
                worst = std::max(worst, ratio);
                QVERIFY2(ratio <= 1.0, qPrintable(QStringLiteral("w = (%1, %2), y = (%3, %4): fast %5, reference %6")
                                                      .arg(w.w1, 0, 'g', 17)
                                                      .arg(w.w2, 0, 'g', 17)
                                                      .arg(y.x(), 0, 'g', 17)
                                                      .arg(y.y(), 0, 'g', 17)
                                                      .arg(fast(j, i), 0, 'g', 17)
                                                      .arg(reference(j, i), 0, 'g', 17)));
            }
        }
    }
    qInfo("worst error: %.3g of the tolerance", worst);
}

void FastFieldTest::pitfallLargeBetaFarAway()
{
    // PITFALLS.md: a naive sum of exp(-beta E) at beta = 1000, y = (3, 3) gave 0.7098 instead of 6.2796.
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(48));
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 7, 7};
    FastFieldStats stats;
    const auto values = ebm::evaluateFieldFast(model, {FieldKind::FreeEnergy, 1000.0, 0.0}, grid, 1, nullptr, &stats);
    QVERIFY(values.has_value());
    const double expected = model.freeEnergy(Vec2(3.0, 3.0), 1000.0);
    QVERIFY(std::abs(expected - 6.2796) < 1e-4);
    EBM_COMPARE_REL((*values)(6, 6), expected, 1e-9, 0.0);
    QVERIFY(stats.fallbackCells > 0);
}

void FastFieldTest::fallbackWhenTheProductUnderflows()
{
    const EllipseEbm model({2.0, -1.5}, LatentSpec::sampled(48));
    const FieldRequest request{FieldKind::FreeEnergy, 1e6, 0.0};
    // Far from the manifold at beta = 1e6 every cell's product underflows: all of them take the direct path.
    const Grid far{200.0, 1e3, -1e3, -300.0, 13, 11};
    FastFieldStats stats;
    const auto values = ebm::evaluateFieldFast(model, request, far, 2, nullptr, &stats);
    QVERIFY(values.has_value());
    QCOMPARE(stats.fallbackCells, 13LL * 11);
    const Eigen::MatrixXd reference = *ebm::evaluateField(model, request, far);
    for (Eigen::Index c = 0; c < reference.size(); ++c)
        EBM_COMPARE_REL((*values)(c), reference(c), 1e-9, 0.0);
    // At beta = 1 near the manifold the product carries every cell.
    ebm::evaluateFieldFast(model, {FieldKind::FreeEnergy, 1.0, 0.0}, Grid{}, 1, nullptr, &stats);
    QCOMPARE(stats.fallbackCells, 0LL);
    QVERIFY(stats.productCells > 0);
}

void FastFieldTest::hotCellsUseExpm1()
{
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(48));
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 41, 37};
    const struct
    {
        double beta;
        bool allHot, someCold;
    } cases[] = {{1e-6, true, false}, {0.1, false, true}};
    for (const auto &c : cases) {
        const FieldRequest request{FieldKind::FreeEnergy, c.beta, 0.0};
        FastFieldStats stats;
        const auto values = ebm::evaluateFieldFast(model, request, grid, 3, nullptr, &stats);
        QVERIFY(values.has_value());
        QVERIFY(stats.expm1Cells > 0);
        QCOMPARE(stats.expm1Cells == 41LL * 37, c.allHot);
        QCOMPARE(stats.productCells > 0, c.someCold);
        const Eigen::MatrixXd reference = *ebm::evaluateField(model, request, grid);
        for (Eigen::Index k = 0; k < reference.size(); ++k)
            EBM_COMPARE_REL((*values)(k), reference(k), 1e-9, 0.0);
    }
}

void FastFieldTest::layoutIsRowsByColumns()
{
    // A lopsided grid and a field that is not symmetric in y1 and y2: a transposed result cannot pass.
    const Grid grid{-2.5, 3.1, -1.7, 2.2, 37, 5};
    for (int count : {48, 0}) {
        const EllipseEbm model({2.0, 0.7}, ebmtest::latentsFor(count));
        for (FieldKind kind : {FieldKind::FreeEnergy, FieldKind::ZeroTemperature, FieldKind::Energy}) {
            const FieldRequest request{kind, 2.0, 0.3};
            const auto values = ebm::evaluateFieldFast(model, request, grid, 2);
            QVERIFY(values.has_value());
            QCOMPARE(values->rows(), grid.ny);
            QCOMPARE(values->cols(), grid.nx);
            for (int j : {0, 2, grid.ny - 1}) {
                for (int i : {0, 17, grid.nx - 1}) {
                    const Vec2 y(grid.y1At(i), grid.y2At(j));
                    EBM_COMPARE_REL((*values)(j, i), ebm::fieldValue(model, request, y), 1e-9, 1e-3 * y.squaredNorm());
                }
            }
        }
    }
}

void FastFieldTest::cancelledBeforeStart()
{
    const std::atomic<bool> cancel{true};
    for (int count : {48, 0}) {
        const EllipseEbm model({2.0, 1.5}, ebmtest::latentsFor(count));
        for (FieldKind kind :
             {FieldKind::FreeEnergy, FieldKind::ZeroTemperature, FieldKind::Energy, FieldKind::Posterior}) {
            for (int threads : {1, 3})
                QVERIFY(!ebm::evaluateFieldFast(model, {kind, 2.0, 0.0}, Grid{}, threads, &cancel).has_value());
        }
    }
    const std::atomic<bool> goOn{false};
    QVERIFY(ebm::evaluateFieldFast(EllipseEbm(), {}, Grid{}, 2, &goOn).has_value());
}

void FastFieldTest::cancelledWhileRunning()
{
    // Uncancelled, this field takes seconds; the flag is checked between blocks of columns.
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(1024));
    const Grid grid{-3.0, 3.0, -3.0, 3.0, 2048, 2048};
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        cancel = true;
    });
    const auto start = std::chrono::steady_clock::now();
    const auto values = ebm::evaluateFieldFast(model, {FieldKind::FreeEnergy, 1.0, 0.0}, grid, 2, &cancel);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    canceller.join();
    QVERIFY(!values.has_value());
    QVERIFY2(seconds < 5.0, qPrintable(QString::number(seconds)));
}

void FastFieldTest::invalidRequestsThrow()
{
    const EllipseEbm sampled;
    for (double beta : {0.0, -1.0, std::nan("")}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 ebm::evaluateFieldFast(sampled, {FieldKind::FreeEnergy, beta, 0.0}, Grid{}, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 ebm::evaluateFieldFast(sampled, {FieldKind::Posterior, beta, 0.0}, Grid{}, 2));
    }
    // F_inf and E ignore beta, as the reference does.
    QVERIFY(ebm::evaluateFieldFast(sampled, {FieldKind::ZeroTemperature, 0.0, 0.0}, Grid{}, 2).has_value());
    // Thrown on a worker thread, rethrown on the caller's.
    const EllipseEbm continuous({2.0, 1.5}, LatentSpec::continuous());
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        ebm::evaluateFieldFast(continuous, {FieldKind::Posterior, ebm::kInfiniteBeta, 0.0}, Grid{}, 3));
}

QTEST_APPLESS_MAIN(FastFieldTest)
#include "tst_fastfield.moc"

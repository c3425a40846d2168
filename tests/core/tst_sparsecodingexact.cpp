// The exact lasso of sparse coding (math/exactlasso.h) and its field (math/sparsecodingfield.h): on thousands of
// random problems, degenerate ones included (parallel atoms, alpha = 0, alpha above lambda_max, y_dot = 0, atoms in
// a plane, far observations), z meets the L1 optimality conditions to 1e-12 relative and equals FISTA run to a
// tight tolerance (the reference path) to 1e-8; warm and cold solves agree bit for bit; the field equals the FISTA
// reference field to 1e-9 relative and zeroTemperatureExact bit for bit.
#include "math/energymodel.h"
#include "math/exactlasso.h"
#include "math/rng.h"
#include "math/sparsecodingfield.h"
#include "math/sparsecodingmodel.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using ebm::ExactLasso;
using ebm::ShrinkageOptions;
using ebm::SparseCoding;
using ebm::Vec2;
using ebm::Vec3;
using Eigen::VectorXd;

namespace {

enum class Kind { Random, Parallel, AlphaZero, AlphaHuge, ZeroObservation, Planar, Far };

struct Problem
{
    SparseCoding model;
    Vec3 yDot;
};

Problem makeProblem(Kind kind, std::uint64_t seed)
{
    ebm::Rng rng(seed);
    const int d = 1 + static_cast<int>(rng.uniform() * 16); // 1..16 atoms
    const double alphas[] = {1e-3, 0.01, 0.1, 0.3, 1.0, 3.0};
    double alpha = alphas[static_cast<int>(rng.uniform() * 6)];
    Vec2 y(6.0 * rng.uniform() - 3.0, 6.0 * rng.uniform() - 3.0);
    Eigen::Matrix3Xd w = SparseCoding::random(d, 1.0, seed * 7 + 1).dictionary();
    switch (kind) {
    case Kind::Random:
        break;
    case Kind::Parallel: // copies of earlier atoms, scaled and possibly flipped (renormalised by the model)
        for (int j = 1; j < d; ++j) {
            if (rng.uniform() < 0.5) {
                const int from = static_cast<int>(rng.uniform() * j);
                w.col(j) = (rng.uniform() < 0.5 ? -1.0 : 1.0) * (0.5 + 2.0 * rng.uniform()) * w.col(from);
            }
        }
        break;
    case Kind::AlphaZero:
        alpha = 0.0;
        break;
    case Kind::AlphaHuge:
        alpha = 1e3;
        break;
    case Kind::ZeroObservation:
        break;
    case Kind::Planar: // no constant component: every atom in the y-plane
        w.row(0).setZero();
        for (int j = 0; j < d; ++j) {
            if (w.col(j).norm() < 1e-3)
                w(1, j) = 1.0;
        }
        break;
    case Kind::Far:
        y *= 300.0;
        break;
    }
    const Vec3 yDot = kind == Kind::ZeroObservation ? Vec3::Zero() : ebm::lift(y);
    return {SparseCoding(w, alpha), yDot};
}

//! \brief the worst violation of the optimality conditions (g = 2 W^T (y_dot - W z): g_i = alpha sign z_i on the
//! support, |g_i| <= alpha off it), relative to max(alpha, |2 W^T y_dot|_inf, tiny)
double relativeViolation(const SparseCoding &model, const Vec3 &yDot, const VectorXd &z)
{
    const Eigen::Matrix3Xd &w = model.dictionary();
    const VectorXd g = 2.0 * w.transpose() * (yDot - w * z);
    const double scale = std::max({model.alpha(), (2.0 * w.transpose() * yDot).cwiseAbs().maxCoeff(), 1e-300});
    double worst = 0.0;
    for (Eigen::Index i = 0; i < z.size(); ++i) {
        const double v = z[i] == 0.0 ? std::max(0.0, std::abs(g[i]) - model.alpha())
                                     : std::abs(g[i] - model.alpha() * (z[i] > 0.0 ? 1.0 : -1.0));
        worst = std::max(worst, v / scale);
    }
    return worst;
}

} // namespace

class TestSparseCodingExact : public QObject
{
    Q_OBJECT

private slots:
    void matchesTheOptimalityConditionsAndFista_data();
    void matchesTheOptimalityConditionsAndFista();
    void closedFormCases();
    void warmAndColdSolvesAgreeBitForBit();
    void fieldEqualsTheReference_data();
    void fieldEqualsTheReference();
    void fieldIsCancellable();
};

void TestSparseCodingExact::matchesTheOptimalityConditionsAndFista_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("count");
    QTest::newRow("random") << static_cast<int>(Kind::Random) << 3000;
    QTest::newRow("parallel atoms") << static_cast<int>(Kind::Parallel) << 1000;
    QTest::newRow("alpha = 0") << static_cast<int>(Kind::AlphaZero) << 300;
    QTest::newRow("alpha huge") << static_cast<int>(Kind::AlphaHuge) << 300;
    QTest::newRow("y_dot = 0") << static_cast<int>(Kind::ZeroObservation) << 300;
    QTest::newRow("atoms in a plane") << static_cast<int>(Kind::Planar) << 1000;
    QTest::newRow("far observations") << static_cast<int>(Kind::Far) << 1000;
}

void TestSparseCodingExact::matchesTheOptimalityConditionsAndFista()
{
    QFETCH(int, kind);
    QFETCH(int, count);
    ShrinkageOptions tight;
    tight.tolerance = 1e-14;
    tight.maxIterations = 400000;
    double worstKkt = 0.0, worstFista = 0.0;
    int fallbacks = 0, nonzeroBeyondThree = 0, compared = 0;
    for (int seed = 0; seed < count; ++seed) {
        const Problem p = makeProblem(static_cast<Kind>(kind), static_cast<std::uint64_t>(seed) + 1000 * kind);
        ExactLasso solver(p.model);
        const VectorXd z = solver.solve(p.yDot);
        QCOMPARE(z.size(), static_cast<Eigen::Index>(p.model.atoms()));
        QVERIFY(z.allFinite());
        fallbacks += solver.lastWasExact() ? 0 : 1;
        worstKkt = std::max(worstKkt, relativeViolation(p.model, p.yDot, z));
        // With alpha > 0 the merged directions carry at most 3 nonzero coefficients.
        if (p.model.alpha() > 0.0 && static_cast<Kind>(kind) != Kind::Parallel && (z.array() != 0.0).count() > 3)
            ++nonzeroBeyondThree;
        const ebm::ShrinkageResult reference = p.model.shrink(p.yDot, tight);
        if (!reference.converged)
            continue; // (alpha = 0 on a badly conditioned W: FISTA is not a usable oracle there)
        ++compared;
        const double scale = std::max(1.0, reference.z.cwiseAbs().maxCoeff());
        worstFista = std::max(worstFista, (z - reference.z).cwiseAbs().maxCoeff() / scale);
    }
    qInfo("%d problems: worst KKT violation %.2e relative, worst |z - z_fista| %.2e (%d compared), %d fallbacks", count,
          worstKkt, worstFista, compared, fallbacks);
    QVERIFY2(worstKkt <= 1e-12, qPrintable(QString::number(worstKkt)));
    QVERIFY2(worstFista <= 1e-8, qPrintable(QString::number(worstFista)));
    QVERIFY(compared >= count * 9 / 10);
    QCOMPARE(nonzeroBeyondThree, 0);
    QCOMPARE(fallbacks, 0); // none of these needs the FISTA fallback
}

void TestSparseCodingExact::closedFormCases()
{
    // One atom: z = S_{alpha/2}(a . y_dot) (the 1-D lasso), exactly.
    const SparseCoding one(Eigen::Vector3d(0.0, 0.6, 0.8), 0.5);
    const Vec3 yDot(1.0, 2.0, 1.0); // a . y_dot = 2.0
    QCOMPARE(one.exactLasso(yDot)[0], 2.0 - 0.25);
    // alpha >= |2 W^T y_dot|_inf gives z = 0 exactly; y_dot = 0 too.
    const SparseCoding model = SparseCoding::random(6, 0.3, 4);
    const double lambdaMax = (2.0 * model.dictionary().transpose() * yDot).cwiseAbs().maxCoeff();
    const SparseCoding huge(model.dictionary(), lambdaMax);
    QVERIFY(huge.exactLasso(yDot).isZero(0.0));
    QVERIFY(model.exactLasso(Vec3::Zero()).isZero(0.0));
    // Orthonormal atoms: the lasso separates, z_i = S_{alpha/2}(y_dot_i).
    const SparseCoding basis(Eigen::Matrix3d::Identity(), 1.0);
    const VectorXd z = basis.exactLasso(Vec3(3.0, -0.2, -1.5));
    QCOMPARE(z[0], 2.5);
    QCOMPARE(z[1], 0.0);
    QCOMPARE(z[2], -1.0);
    // A duplicated atom: the coefficient is split evenly (the minimum-norm minimiser, as FISTA from 0 finds it).
    Eigen::Matrix3Xd w(3, 3);
    w << 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0;
    const VectorXd split = SparseCoding(w, 1.0).exactLasso(Vec3(3.0, 0.0, 0.0));
    QCOMPARE(split[0], 1.25);
    QCOMPARE(split[1], 1.25);
    QCOMPARE(split[2], 0.0);
    // alpha = 0: least squares, the minimum-norm solution W^+ y_dot.
    const SparseCoding ls(model.dictionary(), 0.0);
    const VectorXd zls = ls.exactLasso(yDot);
    QVERIFY((model.dictionary() * zls - yDot).norm() < 1e-12);
    QVERIFY(relativeViolation(ls, yDot, zls) < 1e-12);
    // The refit on the exact code agrees with infer's structure.
    const ebm::TopTwoCode code = model.inferExact(yDot);
    QCOMPARE(code.value, model.refitEnergy(yDot, code.lasso));
    QCOMPARE(code.value, model.zeroTemperatureExact(Vec2(2.0, 1.0)));
}

void TestSparseCodingExact::warmAndColdSolvesAgreeBitForBit()
{
    const SparseCoding model = SparseCoding::random(12, 0.2, 17);
    ExactLasso warm(model);
    ebm::Rng rng(3);
    Vec2 y(0.0, 0.0);
    for (int step = 0; step < 4000; ++step) {
        y += Vec2(0.02 * rng.normal(), 0.02 * rng.normal()); // a random walk: mostly warm, sometimes a new set
        const Vec3 yDot = ebm::lift(y);
        const VectorXd a = warm.solve(yDot);
        QVERIFY(warm.lastWasExact());
        ExactLasso cold(model);
        QVERIFY(a == cold.solve(yDot));
        QCOMPARE(cold.stats().warm, 0LL);
    }
    QVERIFY(warm.stats().warm > 3000);
    QVERIFY(warm.stats().homotopy > 0);
}

void TestSparseCodingExact::fieldEqualsTheReference_data()
{
    QTest::addColumn<int>("atoms");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<bool>("trained");
    QTest::newRow("d=8 default") << 8 << ebm::kDefaultSparsity << false;
    QTest::newRow("d=8 trained") << 8 << ebm::kDefaultSparsity << true;
    QTest::newRow("d=3 alpha=1") << 3 << 1.0 << false;
    QTest::newRow("d=16 alpha=0.01") << 16 << 0.01 << false;
    QTest::newRow("d=5 alpha=0") << 5 << 0.0 << false;
}

void TestSparseCodingExact::fieldEqualsTheReference()
{
    QFETCH(int, atoms);
    QFETCH(double, alpha);
    QFETCH(bool, trained);
    SparseCoding coding = SparseCoding::random(atoms, alpha, 11);
    if (trained) {
        const std::vector<Vec2> data = ebm::familyData(0);
        for (int step = 0; step < 50; ++step)
            coding.trainStep(data, 0.1);
    }
    const ebm::Grid grid{-3.5, 3.5, -3.0, 3.0, 61, 47};
    ExactLasso::Stats stats;
    const auto values = ebm::sparseCodingField(coding, grid, 1, nullptr, &stats);
    QVERIFY(values);
    double worst = 0.0;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const Vec2 y(grid.y1At(i), grid.y2At(j));
            QCOMPARE((*values)(j, i), coding.zeroTemperatureExact(y)); // bit for bit, warm or cold
            const double reference = coding.zeroTemperature(y);
            worst = std::max(worst, std::abs((*values)(j, i) - reference) / std::max(std::abs(reference), 1e-300));
        }
    }
    QVERIFY2(worst <= 1e-9, qPrintable(QString::number(worst)));
    QCOMPARE(stats.fallback, 0LL);
    QCOMPARE(stats.zero + stats.warm + stats.homotopy, static_cast<long long>(grid.nx) * grid.ny);
    if (alpha > 0.0) // the grid's neighbours share their active set
        QVERIFY(stats.warm > stats.homotopy);
    // Threads and the model's field path give the same numbers.
    const ebm::SparseCodingModel model(coding);
    const auto threaded = ebm::evaluateModelField(model, {ebm::FieldKind::ZeroTemperature, 1.0, 0.0}, grid, 2);
    QVERIFY(threaded && *threaded == *values);
}

void TestSparseCodingExact::fieldIsCancellable()
{
    const SparseCoding coding = SparseCoding::random(8, 0.1, 2);
    const std::atomic<bool> cancel{true};
    QVERIFY(!ebm::sparseCodingField(coding, ebm::Grid{}, 2, &cancel));
}

QTEST_APPLESS_MAIN(TestSparseCodingExact)
#include "tst_sparsecodingexact.moc"

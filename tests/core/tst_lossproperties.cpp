// Every loss of MODEL.md §3 over random parameter sets (propertycases.h): finite values and gradients, each loss at
// or above its lower bound, the NLL's log-partition between its two bounds, and the gradients equal to central
// differences of the loss wherever it is smooth. A failure prints EBM_PROPERTY_SEED=..., which replays that case
// alone. Also the dataset loss the trainer descends, with every negative strategy. Sanitizer builds draw a tenth of
// the cases; EBM_PROPERTY_CASES=n draws n.
#include "math/losses.h"
#include "propertycases.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <ctime>
#include <limits>

using ebm::EllipseEbm;
using ebm::FreeEnergyAt;
using ebm::LossKind;
using ebm::LossTerm;
using ebm::Vec2;
using ebmtest::PropertyCase;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kContinuousShare = 0.01;
constexpr LossKind kPairKinds[] = {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple,
                                   LossKind::SquareSquare};

QString numbers(std::initializer_list<double> values)
{
    QStringList parts;
    for (double v : values)
        parts << QString::number(v, 'g', 17);
    return parts.join(QStringLiteral(", "));
}

double positive(double v)
{
    return std::max(v, 0.0);
}

//! The loss's value from MODEL.md §3 directly, for the lower bounds (softplus >= max(d, 0)).
double lowerBound(LossKind kind, double margin, double data, double negative)
{
    switch (kind) {
    case LossKind::Energy:
        return data;
    case LossKind::Hinge:
        return positive(data - negative + margin);
    case LossKind::Log:
        return positive(data - negative);
    case LossKind::Simple:
        return positive(data) + positive(margin - negative);
    case LossKind::SquareSquare:
        return positive(data) * positive(data) + positive(margin - negative) * positive(margin - negative);
    case LossKind::Nll:
        break;
    }
    return 0.0;
}

//! Where the gated losses switch branch, as a function of F(y_check) and F(y_hat): central differences of step h
//! are meaningless within h |dF/dw| of it.
double distanceToKink(LossKind kind, double margin, double data, double negative)
{
    switch (kind) {
    case LossKind::Hinge:
        return std::abs(data - negative + margin);
    case LossKind::Simple:
    case LossKind::SquareSquare:
        return std::min(std::abs(data), std::abs(margin - negative));
    default:
        return std::numeric_limits<double>::infinity();
    }
}

} // namespace

class LossPropertiesTest : public QObject
{
    Q_OBJECT

private slots:
    void losses();

private:
    void checkCase(PropertyCase &c);
    void checkPairLosses(PropertyCase &c, const EllipseEbm &model, const Vec2 &negative, double margin);
    void checkNll(PropertyCase &c, const EllipseEbm &model);
    void checkDatasetLoss(PropertyCase &c, const EllipseEbm &model, const Vec2 &negative, double margin);
};

void LossPropertiesTest::losses()
{
    const int cases = ebmtest::propertyCaseCount(50000, 10);
    QElapsedTimer timer;
    timer.start();
    if (const auto seed = ebmtest::replaySeed()) {
        PropertyCase c = ebmtest::drawCase(*seed, kContinuousShare);
        checkCase(c);
        return;
    }
    for (int i = 0; i < cases; ++i) {
        PropertyCase c = ebmtest::drawCase(ebmtest::caseSeed(2, i), kContinuousShare);
        checkCase(c);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d random parameter sets in %.1f s (%.1f s of CPU)", cases, timer.elapsed() / 1e3,
          static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
}

void LossPropertiesTest::checkCase(PropertyCase &c)
{
    const EllipseEbm model(c.w, c.latents());
    const Vec2 negative = ebmtest::randomObservation(c.rng, c.w);
    const double pick = c.rng.uniform();
    const double margin =
        pick < 0.1 ? 0.0 : (pick < 0.2 ? ebmtest::logUniform(c.rng, 10.0, 1e6) : ebmtest::between(c.rng, 0.01, 5.0));
    checkPairLosses(c, model, negative, margin);
    if (QTest::currentTestFailed())
        return;
    checkNll(c, model);
    if (QTest::currentTestFailed())
        return;
    checkDatasetLoss(c, model, negative, margin);
}

void LossPropertiesTest::checkPairLosses(PropertyCase &c, const EllipseEbm &model, const Vec2 &negative, double margin)
{
    const FreeEnergyAt data = ebm::freeEnergyAt(model, c.y, c.beta);
    const FreeEnergyAt neg = ebm::freeEnergyAt(model, negative, c.beta);
    EBM_PROPERTY(std::isfinite(data.value) && std::isfinite(neg.value) && data.gradW.allFinite() &&
                     neg.gradW.allFinite(),
                 c, numbers({data.value, neg.value}));
    const double scale =
        1.0 + std::max(c.y.squaredNorm(), negative.squaredNorm()) + c.w.w1 * c.w.w1 + c.w.w2 * c.w.w2 + margin;
    // The one-point losses are plain arithmetic on F: exact up to a few roundings of their terms (squared for
    // square-square).
    for (LossKind kind : kPairKinds) {
        const LossTerm t = ebm::pairLoss(kind, margin, data, neg);
        const QString what =
            QString::fromStdString(ebm::lossKindName(kind)) + QStringLiteral(" (m = %1): ").arg(margin);
        EBM_PROPERTY(std::isfinite(t.value) && t.gradW.allFinite(), c,
                     what + numbers({t.value, t.gradW.x(), t.gradW.y()}));
        const double bound = lowerBound(kind, margin, data.value, neg.value);
        const double tiny = 16 * kEps * (kind == LossKind::SquareSquare ? scale * scale : scale);
        EBM_PROPERTY(t.value >= -tiny && t.value >= bound - tiny, c, what + numbers({t.value, bound}));
        if (kind == LossKind::Log) // softplus(d) <= max(d, 0) + log 2
            EBM_PROPERTY(t.value <= bound + std::log(2.0) + tiny, c, what + numbers({t.value, bound}));
        else
            EBM_PROPERTY(t.value <= bound + tiny, c, what + numbers({t.value, bound}));
        if (QTest::currentTestFailed())
            return;
    }

    // dl/dw against central differences of the whole pipeline (F_beta at both points, then the loss), where F is
    // smooth (finite moderate beta, y and w of order one) and no gate switches within the step.
    if (!(c.beta <= 10.0) || std::max(c.y.norm(), negative.norm()) > 5.0 || std::abs(c.w.w1) > 5.0 ||
        std::abs(c.w.w2) > 5.0 || margin > 5.0)
        return;
    const double h = 1e-6;
    auto lossAt = [&](LossKind kind, double w1, double w2) {
        const EllipseEbm m({w1, w2}, c.latents());
        return ebm::pairLoss(kind, margin, ebm::freeEnergyAt(m, c.y, c.beta), ebm::freeEnergyAt(m, negative, c.beta))
            .value;
    };
    const double slope = data.gradW.norm() + neg.gradW.norm();
    for (LossKind kind : kPairKinds) {
        if (distanceToKink(kind, margin, data.value, neg.value) < 100.0 * h * (1.0 + slope))
            continue;
        const LossTerm t = ebm::pairLoss(kind, margin, data, neg);
        const Vec2 fd((lossAt(kind, c.w.w1 + h, c.w.w2) - lossAt(kind, c.w.w1 - h, c.w.w2)) / (2 * h),
                      (lossAt(kind, c.w.w1, c.w.w2 + h) - lossAt(kind, c.w.w1, c.w.w2 - h)) / (2 * h));
        const double tolerance = 1e-6 * (1.0 + t.gradW.norm() + std::abs(t.value) * slope);
        EBM_PROPERTY((fd - t.gradW).norm() <= tolerance, c,
                     QString::fromStdString(ebm::lossKindName(kind)) + QStringLiteral(" (m = %1): ").arg(margin) +
                         numbers({t.gradW.x(), t.gradW.y(), fd.x(), fd.y()}));
    }
}

void LossPropertiesTest::checkNll(PropertyCase &c, const EllipseEbm &model)
{
    // Y': 1 to 9 candidates, some of them far out; A between -min F(y') and -min F(y') + log(K) / beta.
    const int k = 1 + static_cast<int>(c.rng.uniform() * 9);
    std::vector<FreeEnergyAt> candidates;
    double fMin = std::numeric_limits<double>::infinity();
    for (int i = 0; i < k; ++i) {
        candidates.push_back(ebm::freeEnergyAt(model, ebmtest::randomObservation(c.rng, c.w), c.beta));
        fMin = std::min(fMin, candidates.back().value);
    }
    const ebm::LogPartition a = ebm::logPartition(candidates, c.beta);
    const double tiny = 16 * kEps * (1.0 + std::abs(fMin));
    EBM_PROPERTY(std::isfinite(a.value) && a.gradW.allFinite(), c, numbers({a.value, a.gradW.x(), a.gradW.y()}));
    const double upper = std::isinf(c.beta) ? -fMin : -fMin + std::log(k) / c.beta;
    EBM_PROPERTY(a.value >= -fMin - tiny && a.value <= upper + tiny, c, numbers({a.value, -fMin, upper}));
    // dA/dw = -sum P(y') dF(y')/dw is minus a convex combination: inside the candidates' bounding box.
    Vec2 lo = -candidates.front().gradW, hi = lo;
    for (const FreeEnergyAt &f : candidates) {
        lo = lo.cwiseMin(-f.gradW);
        hi = hi.cwiseMax(-f.gradW);
    }
    const Vec2 slack = Vec2::Constant(1e-12) + 1e-12 * (hi - lo).cwiseAbs();
    EBM_PROPERTY((a.gradW.array() >= (lo - slack).array()).all() && (a.gradW.array() <= (hi + slack).array()).all(), c,
                 numbers({a.gradW.x(), a.gradW.y(), lo.x(), lo.y(), hi.x(), hi.y()}));
    const FreeEnergyAt data = ebm::freeEnergyAt(model, c.y, c.beta);
    const LossTerm t = ebm::nllLoss(data, a);
    EBM_PROPERTY(std::isfinite(t.value) && t.gradW.allFinite() &&
                     t.value >= data.value - fMin - 2 * tiny - 16 * kEps * std::abs(data.value),
                 c, numbers({t.value, data.value, fMin}));
}

void LossPropertiesTest::checkDatasetLoss(PropertyCase &c, const EllipseEbm &model, const Vec2 &negative, double margin)
{
    // What the trainer descends: the mean over a two-point dataset with drawn negatives (every strategy) or a small
    // NLL candidate grid; finite, and non-negative except for the NLL.
    ebm::LossConfig config;
    config.kind = static_cast<LossKind>(c.seed % 6);
    config.beta = c.beta;
    config.margin = margin;
    config.candidatesX = 1 + static_cast<int>(c.rng.uniform() * 3);
    config.candidatesY = 1 + static_cast<int>(c.rng.uniform() * 3);
    ebm::NegativeSpec spec;
    spec.strategy = static_cast<ebm::NegativeStrategy>((c.seed / 6) % 3);
    spec.count = 1 + static_cast<int>(c.seed % 2);
    spec.seed = c.seed;
    spec.candidates = 4;
    const std::vector<Vec2> data = {c.y, negative};
    const auto negatives = ebm::drawNegatives(spec, config.view, data, model, c.beta, 0);
    const std::optional<ebm::DatasetLoss> loss = ebm::datasetLoss(model, config, data, negatives);
    const QString what =
        QString::fromStdString(ebm::lossKindName(config.kind) + ", " + ebm::negativeStrategyName(spec.strategy) + ": ");
    QVERIFY(loss.has_value()); // nothing cancels it
    EBM_PROPERTY(std::isfinite(loss->value) && loss->gradW.allFinite(), c,
                 what + numbers({loss->value, loss->gradW.x(), loss->gradW.y()}));
    EBM_PROPERTY(config.kind == LossKind::Nll || loss->value >= 0.0, c, what + numbers({loss->value}));
}

QTEST_APPLESS_MAIN(LossPropertiesTest)
#include "tst_lossproperties.moc"

// The lecture's training data (MODEL.md §2): radii, noisy ellipse samples and the horn.
#include "math/dataset.h"

#include "math/ellipsedistance.h"
#include "math/latents.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QTest>

#include <cmath>
#include <map>

using ebm::DatasetSpec;
using ebm::Vec2;

namespace {

DatasetSpec spec(int count, double x, double noise, std::uint64_t seed)
{
    DatasetSpec s;
    s.count = count;
    s.x = x;
    s.noise = noise;
    s.seed = seed;
    return s;
}

// (y1/rho1)^2 + (y2/rho2)^2: 1 exactly on the ellipse of radii rho.
double ellipseLevel(const Vec2 &y, const Vec2 &rho)
{
    return std::pow(y.x() / rho.x(), 2) + std::pow(y.y() / rho.y(), 2);
}

} // namespace

class DatasetTest : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void radii();
    void storedSamples();
    void sameSeedSameData();
    void noiselessSamplesLieOnTheEllipse_data();
    void noiselessSamplesLieOnTheEllipse();
    void anglesAreUniform();
    void noiseHasTheRequestedSpread();
    void horn();
};

void DatasetTest::defaults()
{
    // MODEL.md §2: 24 samples at x = 0 with sigma = 1/20.
    const DatasetSpec s;
    QCOMPARE(s.count, 24);
    EBM_COMPARE_EXACT(s.x, 0.0);
    EBM_COMPARE_EXACT(s.noise, 0.05);
    QCOMPARE(ebm::ellipseSamples(s).size(), size_t(24));
}

void DatasetTest::radii()
{
    // rho(x) = (a x + b (1 - x), b x + a (1 - x)) exp(2x), a = 1.5, b = 2.
    QCOMPARE(ebm::ellipseRadii(0.0), Vec2(2.0, 1.5));
    const double e2 = std::exp(2.0);
    EBM_COMPARE_REL(ebm::ellipseRadii(1.0).x(), 1.5 * e2, 2e-16, 0.0);
    EBM_COMPARE_REL(ebm::ellipseRadii(1.0).y(), 2.0 * e2, 2e-16, 0.0);
    // Halfway the two radii meet: a circle of radius 1.75 e.
    EBM_COMPARE_REL(ebm::ellipseRadii(0.5).x(), 1.75 * std::exp(1.0), 4e-16, 0.0);
    EBM_COMPARE_REL(ebm::ellipseRadii(0.5).y(), 1.75 * std::exp(1.0), 4e-16, 0.0);
}

void DatasetTest::storedSamples()
{
    // Recorded once from this code and reproduced by an independent Python transcription of
    // MODEL.md §2 (theta = 2 pi u, then the two normals). The integer stream underneath is
    // bit-exact everywhere, but cos, sin and the log inside the polar method may differ by an ulp
    // between libms, so the points are compared to 1e-14 relative, not exactly.
    const Vec2 expected[] = {{-0.63614717997133452, -1.3898674895131857},
                             {1.9707145857139654, -0.23267969138727521},
                             {-1.9288709170644407, -0.37802690351074231},
                             {1.3801839215526555, -0.91437822449197903},
                             {-0.090095983870303528, 1.4380849421542938}};
    const std::vector<Vec2> ys = ebm::ellipseSamples(spec(24, 0.0, 0.05, 7));
    QCOMPARE(ys.size(), size_t(24));
    for (size_t i = 0; i < std::size(expected); ++i) {
        EBM_COMPARE_REL(ys[i].x(), expected[i].x(), 1e-14, 0.0);
        EBM_COMPARE_REL(ys[i].y(), expected[i].y(), 1e-14, 0.0);
    }
}

void DatasetTest::sameSeedSameData()
{
    const auto a = ebm::ellipseSamples(spec(50, 0.3, 0.05, 11));
    const auto b = ebm::ellipseSamples(spec(50, 0.3, 0.05, 11));
    QCOMPARE(a, b);
    const auto c = ebm::ellipseSamples(spec(50, 0.3, 0.05, 12));
    int same = 0;
    for (size_t i = 0; i < a.size(); ++i)
        same += a[i] == c[i];
    QCOMPARE(same, 0);
    // A longer request starts with the shorter one: one stream, consumed in order.
    const auto longer = ebm::ellipseSamples(spec(80, 0.3, 0.05, 11));
    QVERIFY(std::equal(a.begin(), a.end(), longer.begin()));
    QVERIFY(ebm::ellipseSamples(spec(0, 0.0, 0.05, 1)).empty());
}

void DatasetTest::noiselessSamplesLieOnTheEllipse_data()
{
    QTest::addColumn<double>("x");
    for (double x : {0.0, 0.37, 1.0})
        QTest::addRow("x=%g", x) << x;
}

void DatasetTest::noiselessSamplesLieOnTheEllipse()
{
    QFETCH(double, x);
    const Vec2 rho = ebm::ellipseRadii(x);
    for (const Vec2 &y : ebm::ellipseSamples(spec(2000, x, 0.0, 5))) {
        // cos^2 + sin^2 of a rounded angle, each scaled and divided back: a few ulps of 1.
        EBM_COMPARE_REL(ellipseLevel(y, rho), 1.0, 1e-15, 0.0);
    }
}

void DatasetTest::anglesAreUniform()
{
    // Without noise theta is recoverable exactly; eight equal sectors of [0, 2 pi) each hold a
    // binomial(n, 1/8) count, allowed 5 standard errors.
    const int n = 20000;
    const Vec2 rho = ebm::ellipseRadii(0.0);
    int sectors[8] = {};
    for (const Vec2 &y : ebm::ellipseSamples(spec(n, 0.0, 0.0, 3))) {
        const double theta = ebm::wrapAngle(std::atan2(y.y() / rho.y(), y.x() / rho.x()));
        ++sectors[std::min(7, static_cast<int>(theta / ebm::kTwoPi * 8))];
    }
    for (int count : sectors)
        QVERIFY2(std::abs(count - n / 8.0) <= 5 * std::sqrt(n / 8.0 * 7 / 8), qPrintable(QString::number(count)));
}

void DatasetTest::noiseHasTheRequestedSpread()
{
    // theta is not observable once noise is added, but the component of the noise normal to the
    // ellipse is: for sigma = 0.05 << the radius of curvature (>= 1.125 at x = 0) the squared
    // distance to the ellipse is (n . e)^2 up to O(sigma^2 kappa^2) ~ 0.2 % relative, and n . e is
    // N(0, sigma^2) for isotropic noise. So over n samples: mean d^2 / sigma^2 = 1 +- 5 sqrt(2/n),
    // mean d^4 / sigma^4 = 3 +- 5 sqrt(96/n) (a Gaussian, not merely unit variance), and the
    // signed distance has mean 0 +- 5 sigma / sqrt(n) plus the curvature bias |kappa| sigma^2 / 2.
    // Noise on one coordinate only, sigma^2 used as sigma, or uniform noise all fail these.
    const int n = 20000;
    const double sigma = 0.05;
    const Vec2 rho = ebm::ellipseRadii(0.0);
    const ebm::EllipseParams w{rho.x(), rho.y()};
    double sum2 = 0, sum4 = 0, sumSigned = 0;
    for (const Vec2 &y : ebm::ellipseSamples(spec(n, 0.0, sigma, 8))) {
        const double d2 = ebm::closestPointOnEllipse(y, w).energy;
        sum2 += d2;
        sum4 += d2 * d2;
        sumSigned += (ellipseLevel(y, rho) > 1.0 ? 1.0 : -1.0) * std::sqrt(d2);
    }
    const double s2 = sigma * sigma;
    const double bias = 0.01; // O(sigma^2 kappa^2) with kappa <= 2 / 1.5^2, kept generous
    QVERIFY2(std::abs(sum2 / n / s2 - 1.0) <= 5 * std::sqrt(2.0 / n) + bias,
             qPrintable(QString::number(sum2 / n / s2)));
    QVERIFY2(std::abs(sum4 / n / (s2 * s2) - 3.0) <= 5 * std::sqrt(96.0 / n) + 3 * bias,
             qPrintable(QString::number(sum4 / n / (s2 * s2))));
    const double kappaMax = rho.x() / (rho.y() * rho.y());
    QVERIFY2(std::abs(sumSigned / n) <= 5 * sigma / std::sqrt(n) + kappaMax * s2 / 2,
             qPrintable(QString::number(sumSigned / n)));
}

void DatasetTest::horn()
{
    const DatasetSpec s = spec(6, 0.4, 0.0, 21);
    const std::vector<ebm::HornSample> samples = ebm::hornSamples(s);
    QCOMPARE(samples.size(), size_t(51 * 6));
    std::map<int, int> perStep;
    for (const ebm::HornSample &h : samples) {
        // x on the grid k / 50, k = 0..50 (to an ulp, whichever way it is computed).
        const double k = std::round(h.x * 50.0);
        QVERIFY(k >= 0 && k <= 50);
        EBM_COMPARE_REL(h.x, k / 50.0, 1e-15, 1.0);
        ++perStep[static_cast<int>(k)];
        // Noise 0: each point is on the ellipse of its own x.
        EBM_COMPARE_REL(ellipseLevel(h.y, ebm::ellipseRadii(h.x)), 1.0, 1e-15, 0.0);
    }
    QCOMPARE(perStep.size(), size_t(51));
    for (const auto &[step, count] : perStep)
        QCOMPARE(count, 6);
    // Deterministic, and spec.x plays no part.
    DatasetSpec other = s;
    other.x = 0.9;
    const std::vector<ebm::HornSample> again = ebm::hornSamples(other);
    QCOMPARE(again.size(), samples.size());
    for (size_t i = 0; i < samples.size(); ++i) {
        EBM_COMPARE_EXACT(again[i].x, samples[i].x);
        QCOMPARE(again[i].y, samples[i].y);
    }
    other.seed = 22;
    QVERIFY(ebm::hornSamples(other)[0].y != samples[0].y);
}

QTEST_APPLESS_MAIN(DatasetTest)
#include "tst_dataset.moc"

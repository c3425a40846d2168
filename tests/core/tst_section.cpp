// The free energy along a section: the values are the model's, the sampling and the s coordinate are as documented,
// and the cross-section at y1 = 0 through the default model has the shapes of the lecture's figure.
#include "math/section.h"

#include "fuzzycompare.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using ebm::EllipseEbm;
using ebm::SectionLine;
using ebm::SectionProfile;
using ebm::Vec2;

namespace {

// 601 samples of [-3, 3]: a step of 0.01, so y2 = 0 and y2 = +-1.5 are sample points exactly.
constexpr int kSamples = 601;
constexpr int kCentre = 300;

//! Indices of the interior local minima (the left neighbour strictly higher, so a flat bottom counts once).
std::vector<int> localMinima(const std::vector<double> &v)
{
    std::vector<int> minima;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
        if (v[i] < v[i - 1] && v[i] <= v[i + 1])
            minima.push_back(static_cast<int>(i));
    }
    return minima;
}

SectionProfile lectureProfile(double beta)
{
    return sectionProfile(EllipseEbm(), SectionLine{}, {beta}, kSamples);
}

} // namespace

class TestSection : public QObject
{
    Q_OBJECT

private slots:
    void valuesAreTheModelsFreeEnergy();
    void endsAreIncludedAndEvenlySpaced();
    void sFollowsTheAxisOfAnAxisParallelLine();
    void sIsTheDistanceAlongAnObliqueLine();
    void tooFewSamplesGiveNoPoints();
    void colderIsNeverHigher();
    void referencesAreColdWarmHot();
    void coldHasTwoZeroMinimaAndACentralPeak();
    void warmKeepsTwoMinimaWithALowerBump();
    void hotHasOneMinimumAtTheCentre();
};

void TestSection::valuesAreTheModelsFreeEnergy()
{
    const EllipseEbm model(ebm::EllipseParams{1.7, 0.6}, ebm::LatentSpec::sampled(17));
    const SectionLine line{Vec2(-2.5, 1.0), Vec2(3.0, -0.4)};
    const std::vector<double> betas{ebm::kInfiniteBeta, 1e6, 2.5, 1.0, 0.1, 1e-6};
    const SectionProfile profile = sectionProfile(model, line, betas, 57);
    QCOMPARE(profile.points.size(), size_t(57));
    QCOMPARE(profile.s.size(), size_t(57));
    QCOMPARE(profile.curves.size(), betas.size());
    for (size_t c = 0; c < betas.size(); ++c) {
        QCOMPARE(profile.curves[c].beta, betas[c]);
        QCOMPARE(profile.curves[c].values.size(), profile.points.size());
        for (size_t i = 0; i < profile.points.size(); ++i)
            QCOMPARE(profile.curves[c].values[i], model.freeEnergy(profile.points[i], betas[c]));
    }
}

void TestSection::endsAreIncludedAndEvenlySpaced()
{
    const SectionLine lines[] = {SectionLine{}, {Vec2(0.1, 0.7), Vec2(-2.9, 0.3)}, {Vec2(1e-3, 3.3), Vec2(0.7, -1.1)}};
    for (const SectionLine &line : lines) {
        for (int samples : {2, 3, 10, 601}) {
            const SectionProfile profile = sectionProfile(EllipseEbm(), line, {1.0}, samples);
            QCOMPARE(int(profile.points.size()), samples);
            QCOMPARE(profile.points.front(), line.from);
            QCOMPARE(profile.points.back(), line.to);
            const Vec2 step = (line.to - line.from) / (samples - 1);
            for (int i = 1; i < samples; ++i) {
                const Vec2 d = profile.points[size_t(i)] - profile.points[size_t(i - 1)];
                QVERIFY2((d - step).norm() <= 1e-12 * (1.0 + step.norm()), qPrintable(QString::number(i)));
            }
        }
    }
}

void TestSection::sFollowsTheAxisOfAnAxisParallelLine()
{
    // The default line y1 = 0: s is y2, from -3 to 3.
    const SectionProfile vertical = sectionProfile(EllipseEbm(), SectionLine{}, {1.0}, kSamples);
    QCOMPARE(vertical.s.front(), -3.0);
    QCOMPARE(vertical.s.back(), 3.0);
    QCOMPARE(vertical.s[kCentre], 0.0);
    for (size_t i = 0; i < vertical.s.size(); ++i) {
        QCOMPARE(vertical.s[i], vertical.points[i].y());
        QCOMPARE(vertical.points[i].x(), 0.0);
    }

    // Drawn downwards, s is still y2 (so it decreases).
    const SectionProfile down = sectionProfile(EllipseEbm(), {Vec2(0.5, 2.0), Vec2(0.5, -1.0)}, {1.0}, 31);
    QCOMPARE(down.s.front(), 2.0);
    QCOMPARE(down.s.back(), -1.0);
    for (size_t i = 0; i < down.s.size(); ++i)
        QCOMPARE(down.s[i], down.points[i].y());

    // A horizontal line: s is y1.
    const SectionProfile horizontal = sectionProfile(EllipseEbm(), {Vec2(2.5, 0.4), Vec2(-1.5, 0.4)}, {1.0}, 41);
    QCOMPARE(horizontal.s.front(), 2.5);
    QCOMPARE(horizontal.s.back(), -1.5);
    for (size_t i = 0; i < horizontal.s.size(); ++i) {
        QCOMPARE(horizontal.s[i], horizontal.points[i].x());
        QCOMPARE(horizontal.points[i].y(), 0.4);
    }
}

void TestSection::sIsTheDistanceAlongAnObliqueLine()
{
    const SectionLine line{Vec2(-1.0, -2.0), Vec2(2.0, 2.0)}; // length 5
    const SectionProfile profile = sectionProfile(EllipseEbm(), line, {1.0}, 11);
    QCOMPARE(profile.s.front(), 0.0);
    QCOMPARE(profile.s.back(), 5.0);
    for (size_t i = 0; i < profile.s.size(); ++i) {
        EBM_COMPARE_REL(profile.s[i], 0.5 * double(i), 1e-14, 1.0);
        EBM_COMPARE_REL(profile.s[i], (profile.points[i] - line.from).norm(), 1e-15, 1.0);
    }
}

void TestSection::tooFewSamplesGiveNoPoints()
{
    for (int samples : {-1, 0, 1}) {
        const SectionProfile profile = sectionProfile(EllipseEbm(), SectionLine{}, {ebm::kInfiniteBeta, 1.0}, samples);
        QVERIFY(profile.s.empty());
        QVERIFY(profile.points.empty());
        QCOMPARE(profile.curves.size(), size_t(2));
        QVERIFY(profile.curves[0].values.empty());
    }
}

void TestSection::colderIsNeverHigher()
{
    // F_beta is non-increasing in beta: cold <= current <= warm <= hot <= mean_z E at every point.
    const EllipseEbm model;
    const std::vector<double> refs = ebm::referenceBetas();
    const std::vector<double> betas{refs[0], 2.5, refs[1], refs[2]};
    const SectionLine lines[] = {SectionLine{}, {Vec2(-3.0, 0.0), Vec2(3.0, 0.0)}, {Vec2(-3.0, -3.0), Vec2(3.0, 2.0)}};
    for (const SectionLine &line : lines) {
        const SectionProfile profile = sectionProfile(model, line, betas, kSamples);
        for (size_t i = 0; i < profile.points.size(); ++i) {
            for (size_t c = 1; c < betas.size(); ++c) {
                const double colder = profile.curves[c - 1].values[i], warmer = profile.curves[c].values[i];
                QVERIFY2(colder <= warmer + 1e-12 * std::abs(warmer),
                         qPrintable(QStringLiteral("point %1: F at beta %2 = %3 > F at beta %4 = %5")
                                        .arg(i)
                                        .arg(betas[c - 1])
                                        .arg(colder, 0, 'g', 17)
                                        .arg(betas[c])
                                        .arg(warmer, 0, 'g', 17)));
            }
            QVERIFY(profile.curves.back().values[i] <= model.meanEnergy(profile.points[i]) + 1e-12);
        }
    }
}

void TestSection::referencesAreColdWarmHot()
{
    const std::vector<double> refs = ebm::referenceBetas();
    QCOMPARE(refs.size(), size_t(3));
    QVERIFY(std::isinf(refs[0]) && refs[0] > 0);
    QVERIFY(std::isfinite(refs[1]) && refs[1] > 0);
    QVERIFY(refs[2] > 0 && refs[2] < refs[1]);
}

void TestSection::coldHasTwoZeroMinimaAndACentralPeak()
{
    const SectionProfile profile = lectureProfile(ebm::referenceBetas()[0]);
    const std::vector<double> &f = profile.curves[0].values;
    const std::vector<int> minima = localMinima(f);
    QCOMPARE(minima.size(), size_t(2));
    QCOMPARE(profile.s[size_t(minima[0])], -1.5);
    QCOMPARE(profile.s[size_t(minima[1])], 1.5);
    // The manifold crosses y1 = 0 at the sampled latents z = pi/2 and 3 pi/2: zero energy up to cos(pi/2) ~ 6e-17.
    QVERIFY(f[size_t(minima[0])] < 1e-24);
    QVERIFY(f[size_t(minima[1])] < 1e-24);
    // Between the minima, the peak is at the centre: F_inf(0, 0) = w2^2.
    const auto between = std::max_element(f.begin() + minima[0], f.begin() + minima[1]);
    QCOMPARE(int(between - f.begin()), kCentre);
    EBM_COMPARE_REL(f[kCentre], 2.25, 1e-15, 1.0);
}

void TestSection::warmKeepsTwoMinimaWithALowerBump()
{
    const SectionProfile cold = lectureProfile(ebm::referenceBetas()[0]);
    const SectionProfile profile = lectureProfile(ebm::referenceBetas()[1]);
    const std::vector<double> &f = profile.curves[0].values;
    const std::vector<int> minima = localMinima(f);
    QCOMPARE(minima.size(), size_t(2));
    // Symmetric about the centre, pulled in from the manifold (the lecture's warm curve): about +-1.38 at beta = 1.
    QCOMPARE(minima[0] + minima[1], 2 * kCentre);
    QVERIFY(profile.s[size_t(minima[1])] > 1.0 && profile.s[size_t(minima[1])] < 1.5);
    const auto between = std::max_element(f.begin() + minima[0], f.begin() + minima[1]);
    QCOMPARE(int(between - f.begin()), kCentre);
    const double bump = f[kCentre] - f[size_t(minima[1])];
    const double coldBump = cold.curves[0].values[kCentre];
    // A clear bump (about 1.04), but lower than the cold one (2.25).
    QVERIFY2(bump > 0.5 && bump < 0.75 * coldBump, qPrintable(QString::number(bump)));
}

void TestSection::hotHasOneMinimumAtTheCentre()
{
    const EllipseEbm model;
    const SectionProfile profile = lectureProfile(ebm::referenceBetas()[2]);
    const std::vector<double> &f = profile.curves[0].values;
    const std::vector<int> minima = localMinima(f);
    QCOMPARE(minima.size(), size_t(1));
    QCOMPARE(minima[0], kCentre);
    QCOMPARE(profile.s[kCentre], 0.0);
    // A single well: strictly down to the centre, strictly up after it.
    for (int i = 1; i <= kCentre; ++i)
        QVERIFY(f[size_t(i)] < f[size_t(i - 1)]);
    for (int i = kCentre + 1; i < kSamples; ++i)
        QVERIFY(f[size_t(i)] > f[size_t(i - 1)]);
    // Close to the hot limit, the parabola mean_z E = y2^2 + (w1^2 + w2^2) / 2: within 2% at the bottom, and most of
    // its rise at the ends.
    const double parabolaCentre = model.meanEnergy(Vec2(0.0, 0.0));
    EBM_COMPARE_REL(parabolaCentre, 3.125, 1e-15, 1.0);
    QVERIFY(std::abs(f[kCentre] - parabolaCentre) < 0.02 * parabolaCentre);
    const double rise = f.back() - f[kCentre], parabolaRise = model.meanEnergy(Vec2(0.0, 3.0)) - parabolaCentre;
    QVERIFY2(rise > 0.7 * parabolaRise && rise <= parabolaRise, qPrintable(QString::number(rise)));
}

QTEST_APPLESS_MAIN(TestSection)
#include "tst_section.moc"

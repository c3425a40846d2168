// Marching squares against fields whose level sets are known in closed form.
#include "math/contours.h"

#include <QTest>

#include <cmath>

using namespace ebm;

namespace {

Eigen::MatrixXd sample(const Grid &grid, double (*f)(double, double))
{
    Eigen::MatrixXd values(grid.ny, grid.nx);
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i)
            values(j, i) = f(grid.y1At(i), grid.y2At(j));
    }
    return values;
}

double bowl(double x, double y)
{
    return x * x + y * y;
}

double plane(double x, double y)
{
    return 2.0 * x - y;
}

} // namespace

class TestContours : public QObject
{
    Q_OBJECT

private slots:
    void circleOfABowl_data();
    void circleOfABowl();
    void lineOfAPlaneIsExact();
    void nothingOutsideTheRange();
    void saddleCellsGiveTwoSegments();
    void evenLevelsInside();
};

void TestContours::circleOfABowl_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("radius");
    QTest::newRow("coarse") << 21 << 1.5;
    QTest::newRow("fine") << 201 << 1.5;
    QTest::newRow("small circle") << 201 << 0.3;
}

void TestContours::circleOfABowl()
{
    QFETCH(int, n);
    QFETCH(double, radius);
    const Grid grid{-2, 2, -2, 2, n, n};
    const auto segments = contourSegments(sample(grid, bowl), grid, radius * radius);
    QVERIFY(!segments.empty());
    // Linear interpolation of x^2 + y^2 along an edge of length h errs by at most h^2 / 4 in value,
    // so by about h^2 / (8 r) in radius.
    const double h = 4.0 / (n - 1);
    const double tolerance = h * h / (8.0 * radius) + 1e-12;
    double length = 0.0;
    for (const ContourSegment &s : segments) {
        QVERIFY(std::abs(s.a.norm() - radius) <= tolerance);
        QVERIFY(std::abs(s.b.norm() - radius) <= tolerance);
        length += (s.b - s.a).norm();
    }
    // The polygon is inscribed in (nearly) the circle: its perimeter approaches 2 pi r from below.
    QVERIFY(length <= 2.0 * M_PI * (radius + tolerance));
    QVERIFY(length >= 2.0 * M_PI * radius * (1.0 - h / radius));
}

void TestContours::lineOfAPlaneIsExact()
{
    const Grid grid{-1, 1, -1, 1, 11, 11};
    const auto segments = contourSegments(sample(grid, plane), grid, 0.3);
    QVERIFY(!segments.empty());
    for (const ContourSegment &s : segments) { // linear fields are interpolated exactly
        QVERIFY(std::abs(plane(s.a.x(), s.a.y()) - 0.3) < 1e-12);
        QVERIFY(std::abs(plane(s.b.x(), s.b.y()) - 0.3) < 1e-12);
    }
}

void TestContours::nothingOutsideTheRange()
{
    const Grid grid{-1, 1, -1, 1, 11, 11};
    QVERIFY(contourSegments(sample(grid, bowl), grid, 5.0).empty());
    QVERIFY(contourSegments(sample(grid, bowl), grid, -1.0).empty());
    QVERIFY(contourSegments(sample(grid, bowl), grid, std::nan("")).empty());
}

void TestContours::saddleCellsGiveTwoSegments()
{
    const Grid grid{0, 1, 0, 1, 2, 2};
    Eigen::MatrixXd values(2, 2);
    values << 1.0, 0.0, 0.0, 1.0; // corners (0,0) and (1,1) above 0.5
    QCOMPARE(int(contourSegments(values, grid, 0.5).size()), 2);
    QCOMPARE(int(contourSegments(values, grid, 0.25).size()), 2);
}

void TestContours::evenLevelsInside()
{
    const std::vector<double> levels = evenLevels(0.0, 10.0, 4);
    QCOMPARE(int(levels.size()), 4);
    QCOMPARE(levels.front(), 2.0);
    QCOMPARE(levels.back(), 8.0);
    QVERIFY(evenLevels(1.0, 1.0, 3).empty());
}

QTEST_APPLESS_MAIN(TestContours)
#include "tst_contours.moc"

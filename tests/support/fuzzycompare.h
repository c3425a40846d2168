// Shared comparison helpers for the numerical tests.
#pragma once

#include <QTest>

#include <algorithm>
#include <cmath>

namespace ebmtest {

//! |a - b| <= rel * max(|a|, |b|, scale): relative, with an absolute floor at rel * scale.
inline bool closeTo(double a, double b, double rel, double scale = 0.0)
{
    return std::abs(a - b) <= rel * std::max({std::abs(a), std::abs(b), scale});
}

} // namespace ebmtest

//! QVERIFY2 with both numbers printed to 17 digits when they differ.
#define EBM_COMPARE_REL(actual, expected, rel, scale)                                                                  \
    do {                                                                                                               \
        const double a_ = (actual), e_ = (expected);                                                                   \
        QVERIFY2(ebmtest::closeTo(a_, e_, (rel), (scale)), qPrintable(QStringLiteral("%1 = %2, expected %3 (rel %4)")  \
                                                                          .arg(#actual)                                \
                                                                          .arg(a_, 0, 'g', 17)                         \
                                                                          .arg(e_, 0, 'g', 17)                         \
                                                                          .arg((rel))));                               \
    } while (false)

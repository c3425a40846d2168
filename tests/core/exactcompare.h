// Bit-exact comparison of doubles for the core tests.
#pragma once

#include <QTest>

//! QCOMPARE on doubles is fuzzy (qFuzzyCompare, ~1e-12 relative); where the contract promises the
//! very same number (a stored stream, an exact endpoint, the same formula reached two ways) this
//! compares with ==, printing both to 17 digits when they differ.
#define EBM_COMPARE_EXACT(actual, expected)                                                                            \
    do {                                                                                                               \
        const double a_ = (actual), e_ = (expected);                                                                   \
        QVERIFY2(                                                                                                      \
            a_ == e_,                                                                                                  \
            qPrintable(                                                                                                \
                QStringLiteral("%1 = %2, expected exactly %3").arg(#actual).arg(a_, 0, 'g', 17).arg(e_, 0, 'g', 17))); \
    } while (false)

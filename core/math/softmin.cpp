#include "math/softmin.h"

#include <algorithm>
#include <cmath>

namespace ebm {

double softMin(const double *e, int n, double beta)
{
    const double eMin = *std::min_element(e, e + n);
    if (std::isinf(beta))
        return eMin;
    double weight = 0.0, expm1Sum = 0.0;
    for (int k = 0; k < n; ++k) {
        const double x = -beta * (e[k] - eMin);
        weight += std::exp(x);
        expm1Sum += std::expm1(x);
    }
    const double meanWeight = weight / n;
    // log(mean) is exact when the weights are small (cold); near 1 (hot) log(1 - tiny) would lose the digits.
    const double logMean = meanWeight < 0.5 ? std::log(meanWeight) : std::log1p(expm1Sum / n);
    return eMin - logMean / beta;
}

std::vector<double> softArgMin(const std::vector<double> &e, double beta)
{
    std::vector<double> p(e);
    if (p.empty())
        return p;
    const double eMin = *std::min_element(p.begin(), p.end());
    double sum = 0.0;
    for (double &v : p) {
        v = std::isinf(beta) ? (v == eMin ? 1.0 : 0.0) : std::exp(-beta * (v - eMin));
        sum += v;
    }
    for (double &v : p)
        v /= sum;
    return p;
}

} // namespace ebm

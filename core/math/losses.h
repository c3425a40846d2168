// The loss functionals for learning w (MODEL.md §3), their gradients with respect to w, and the negative samples.
// Plain C++ + Eigen: no Qt here.
#pragma once

#include "math/ellipseebm.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ebm {

enum class LossKind {
    Energy,       //!< F(y_check)
    Hinge,        //!< [F(y_check) - F(y_hat) + m]^+
    Log,          //!< log(1 + exp(F(y_check) - F(y_hat)))
    Simple,       //!< [F(y_check)]^+ + [m - F(y_hat)]^+
    SquareSquare, //!< ([F(y_check)]^+)^2 + ([m - F(y_hat)]^+)^2
    Nll,          //!< F(y_check) + (1/beta) log sum_{y' in Y'} exp(-beta F(y'))
};

//! \brief the loss named energy, hinge, log, simple, square-square or nll (the command line's names); none else
std::optional<LossKind> lossKindFromName(const std::string &name);
//! \brief the inverse of lossKindFromName
std::string lossKindName(LossKind kind);
//! \brief true for the losses with a negative y_hat per term: hinge, log, simple, square-square
bool lossUsesNegatives(LossKind kind);
//! \brief true for the losses with a margin m: hinge, simple, square-square
bool lossUsesMargin(LossKind kind);

//! The rectangle of the observation plane the user sees; negatives and the NLL candidates live in it.
struct ViewBox
{
    double x0 = -3.0, x1 = 3.0;
    double y0 = -3.0, y1 = 3.0;

    bool operator==(const ViewBox &) const = default;
};

struct LossConfig
{
    LossKind kind = LossKind::Energy;
    double beta = kInfiniteBeta; //!< F = F_beta; inf gives zero-temperature training with F = F_inf
    double margin = 1.0;         //!< m of hinge, simple and square-square
    ViewBox view;
    //! Y' of the NLL: the nx x ny grid over the view box, both ends included (y_check is not added to it).
    int candidatesX = 21, candidatesY = 21;

    bool operator==(const LossConfig &) const = default;
};

//! F at one point together with dF/dw: what every loss is built from.
struct FreeEnergyAt
{
    double value = 0.0;
    Vec2 gradW = Vec2::Zero();
};

//! \brief F_beta(y) and dF_beta/dw (F_inf at beta = inf), from EllipseEbm::infer
FreeEnergyAt freeEnergyAt(const EllipseEbm &model, const Vec2 &y, double beta);

//! One per-sample loss term l(F, y_check, y_hat) and its gradient with respect to w.
struct LossTerm
{
    double value = 0.0;
    Vec2 gradW = Vec2::Zero();
    //! The negative side is inactive: hinge F(y_hat) - F(y_check) > m; simple and square-square F(y_hat) > m;
    //! never for log (its push never vanishes); always for energy and NLL (no margin to satisfy).
    bool satisfied = true;
};

//! \brief l(F, y_check, y_hat) of MODEL.md §3 with the homework's indicator-gated gradient, e.g. for the hinge
//! dl/dw = 1[F(y_check) - F(y_hat) + m >= 0] (dF(y_check)/dw - dF(y_hat)/dw); \a negative is ignored by the
//! energy loss; the NLL is not a pair loss (throws std::invalid_argument, use nllLoss)
LossTerm pairLoss(LossKind kind, double margin, const FreeEnergyAt &data, const FreeEnergyAt &negative);

//! The NLL's second term, shared by every data point.
struct LogPartition
{
    double value = 0.0;        //!< A = (1/beta) log sum_{y'} exp(-beta F(y')); -min_{y'} F(y') at beta = inf
    Vec2 gradW = Vec2::Zero(); //!< dA/dw = -sum_{y'} P(y') dF(y')/dw, P(y') = exp(-beta F(y')) / sum exp(-beta F)
};

//! \brief A = (1/beta) log sum_{y'} exp(-beta F(y')) by log-sum-exp (the minimum factored out), and
//! dA/dw = -sum P(y') dF(y')/dw; at beta = inf the limit -min F(y'), with P uniform over the exact minimisers
//! (almost always one argmin); needs at least one candidate
LogPartition logPartition(const std::vector<FreeEnergyAt> &candidates, double beta);

//! \brief the NLL term l = F(y_check) + A, dl/dw = dF(y_check)/dw + dA/dw
LossTerm nllLoss(const FreeEnergyAt &data, const LogPartition &partition);

//! \brief Y' of the NLL: the candidatesX x candidatesY grid over the view box, y2 in the outer loop
std::vector<Vec2> nllCandidates(const LossConfig &config);
//! \brief one axis of that grid: lo + (hi - lo) i / (n - 1) for i = 0..n-1, both ends included; the middle if n = 1
std::vector<double> nllAxis(double lo, double hi, int n);

enum class NegativeStrategy {
    Uniform,   //!< uniform in the view box
    Noise,     //!< the data point plus Gaussian noise of standard deviation `noise`
    Offending, //!< the lowest F among K uniform candidates at least delta from every data point
};

//! \brief the strategy named uniform, noise or offending (the command line's names); none else
std::optional<NegativeStrategy> negativeStrategyFromName(const std::string &name);
//! \brief the inverse of negativeStrategyFromName
std::string negativeStrategyName(NegativeStrategy strategy);

//! How the negatives y_hat are drawn. Each data point gets `count` negatives per epoch, redrawn every epoch from
//! a stream seeded by (seed, epoch) alone, so an epoch's negatives never depend on how the run got there.
struct NegativeSpec
{
    NegativeStrategy strategy = NegativeStrategy::Uniform;
    int count = 1; //!< C negatives per data point; the point's loss is the mean over its C pairs
    std::uint64_t seed = 0;
    double noise = 0.5;        //!< sigma of the Noise strategy
    int candidates = 16;       //!< K of the Offending strategy
    double minDistance = 0.25; //!< delta of the Offending strategy

    bool operator==(const NegativeSpec &) const = default;
};

//! \brief negatives[i] = the C negatives of data[i] for \a epoch, drawn in data then negative order from one
//! stream; Offending takes argmin F_beta of \a model over K uniform draws at least delta from every data point
//! (if fewer pass within 64 K draws, those that did; if none, the first K draws)
std::vector<std::vector<Vec2>> drawNegatives(const NegativeSpec &spec, const ViewBox &view,
                                             const std::vector<Vec2> &data, const EllipseEbm &model, double beta,
                                             int epoch);
//! \brief the same draws with the Offending strategy's F_beta given by \a freeEnergy (e.g. the fast path's)
std::vector<std::vector<Vec2>> drawNegatives(const NegativeSpec &spec, const ViewBox &view,
                                             const std::vector<Vec2> &data,
                                             const std::function<double(const Vec2 &)> &freeEnergy, int epoch);

//! One (data point, negative) pair of a contrastive loss, for drawing the pulls and pushes.
struct PairReport
{
    int dataIndex = 0;
    Vec2 negative = Vec2::Zero();
    double dataEnergy = 0.0;     //!< F(y_check)
    double negativeEnergy = 0.0; //!< F(y_hat)
    bool satisfied = false;      //!< as LossTerm::satisfied
};

struct DatasetLoss
{
    double value = 0.0;            //!< L = (1/|Y|) sum_i l_i
    Vec2 gradW = Vec2::Zero();     //!< dL/dw
    std::vector<PairReport> pairs; //!< every pair of a contrastive loss, in data order
};

//! \brief L = (1/|Y|) sum_i l_i with l_i = (1/C) sum_c l(F, y_i, y_hat_ic) for the pair losses (negatives[i] holds
//! the C negatives of data[i]; ignored otherwise), l_i = F(y_i) for energy and F(y_i) + A for the NLL; and dL/dw.
//! Nothing if *cancel became true meanwhile. Throws std::invalid_argument on empty data or missing negatives.
std::optional<DatasetLoss> datasetLoss(const EllipseEbm &model, const LossConfig &config, const std::vector<Vec2> &data,
                                       const std::vector<std::vector<Vec2>> &negatives,
                                       const std::atomic<bool> *cancel = nullptr);

} // namespace ebm

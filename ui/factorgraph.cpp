#include "factorgraph.h"

#include <cmath>

namespace ebm {

namespace {

QString betaText(double beta)
{
    return std::isinf(beta) ? QStringLiteral("∞") : QString::number(beta, 'g', 3);
}

QString number(double v)
{
    return QString::number(v, 'f', 2).replace(QLatin1Char('-'), QChar(0x2212));
}

// The lecture's symbols per model: the sparse model measures the lifted observation y_dot = (1, y).
QString observed(ModelKind model)
{
    return model == ModelKind::SparseCoding ? QStringLiteral("ẏ") : QStringLiteral("y");
}

QString latentFormula(ModelKind model, GraphTerm term, double zStar)
{
    const bool pinned = term == GraphTerm::Energy || term == GraphTerm::Posterior;
    switch (model) {
    case ModelKind::Ellipse:
        return pinned ? QStringLiteral("z* = %1").arg(number(zStar)) : QStringLiteral("z ∈ [0, 2π)");
    case ModelKind::KMeans:
        return pinned ? QStringLiteral("z* = e%1").arg(std::lround(zStar) + 1) // e1 .. eK, as the slides count
                      : QStringLiteral("z ∈ 𝕀_K (one-hot)");
    case ModelKind::SparseCoding:
        return QStringLiteral("z ∈ ℝᵈ");
    }
    return {};
}

QString decoderFormula(ModelKind model)
{
    // The ellipse's g(z) = [w1 cos z, w2 sin z]^T as the slides write it: a column, which also keeps the label narrow.
    return model == ModelKind::Ellipse ? QStringLiteral("w₁ cos z\nw₂ sin z") : QStringLiteral("W z");
}

QString regulariserFormula(ModelKind model)
{
    switch (model) {
    case ModelKind::Ellipse:
        return QStringLiteral("0 (none)");
    case ModelKind::KMeans:
        return QStringLiteral("0 if z one-hot");
    case ModelKind::SparseCoding:
        return QStringLiteral("α‖z‖₁");
    }
    return {};
}

} // namespace

const GraphNode *FactorGraph::node(const QString &id) const
{
    for (const GraphNode &n : nodes) {
        if (n.id == id)
            return &n;
    }
    return nullptr;
}

QColor termColour(GraphTerm term)
{
    switch (term) {
    case GraphTerm::FreeEnergy:
    case GraphTerm::Posterior:
        return QColor(0xe6, 0x7e, 0x00);
    case GraphTerm::ZeroTemperature:
        return QColor(0xc6, 0x28, 0x28);
    case GraphTerm::Energy:
        return QColor(0x2f, 0x6f, 0xc6);
    }
    return {};
}

GraphTerm graphTerm(ModelKind model, FieldKind kind, double beta)
{
    if (model == ModelKind::SparseCoding)
        return GraphTerm::ZeroTemperature; // MODEL.md §4: F_beta over z in R^d is not defined
    switch (kind) {
    case FieldKind::FreeEnergy:
        return std::isinf(beta) ? GraphTerm::ZeroTemperature : GraphTerm::FreeEnergy;
    case FieldKind::ZeroTemperature:
        return GraphTerm::ZeroTemperature;
    case FieldKind::Energy:
        return GraphTerm::Energy;
    case FieldKind::Posterior:
        return GraphTerm::Posterior;
    }
    return GraphTerm::FreeEnergy;
}

FactorGraph factorGraph(ModelKind model, FieldKind kind, double beta, double zStar)
{
    FactorGraph g;
    g.term = graphTerm(model, kind, beta);
    const QString y = observed(model);
    const bool cold = std::isinf(beta) || g.term == GraphTerm::ZeroTemperature;
    const bool sparse = model == ModelKind::SparseCoding;

    // Inputs on the left (y above, z below), the decoder between them, the two cost factors in the middle column,
    // their sum E, then the reduction over z and the field it gives on the right.
    g.nodes << GraphNode{QStringLiteral("y"),
                         GraphShape::Observed,
                         y,
                         {},
                         sparse ? QStringLiteral("ẏ = (1, y)") : QStringLiteral("observed"),
                         {0.0, 0.0},
                         LabelSide::Above};
    g.nodes << GraphNode{
        QStringLiteral("z"), GraphShape::Latent, QStringLiteral("z"), {}, latentFormula(model, g.term, zStar),
        {0.0, 1.0},          LabelSide::Below};
    g.nodes << GraphNode{QStringLiteral("Dec"), GraphShape::Function, QStringLiteral("Dec"), {},
                         decoderFormula(model), {0.28, 0.5},          LabelSide::Below};
    g.nodes << GraphNode{
        QStringLiteral("C"), GraphShape::Factor, QStringLiteral("C"), {}, QStringLiteral("‖%1 − ỹ‖²").arg(y),
        {0.52, 0.0},         LabelSide::Right};
    GraphNode regulariser{QStringLiteral("R"),       GraphShape::Factor, QStringLiteral("R"), {},
                          regulariserFormula(model), {0.52, 1.0},        LabelSide::Below};
    regulariser.inactive = model == ModelKind::Ellipse;
    g.nodes << regulariser;
    g.nodes << GraphNode{QStringLiteral("E"),       GraphShape::Sum, QStringLiteral("E"),  {},
                         QStringLiteral("= C + R"), {0.72, 0.5},     LabelSide::BelowRight};

    // The reduction: min at zero temperature, softmin at finite beta; for E(y, z*) none is applied (dimmed).
    GraphNode reduce;
    reduce.shape = GraphShape::Reduce;
    reduce.at = {1.0, 0.5};
    reduce.side = LabelSide::Above;
    reduce.subscript = QStringLiteral("z");
    if (cold) {
        reduce.id = reduce.symbol = QStringLiteral("min");
        reduce.formula = sparse ? QStringLiteral("ISTA, top-2 refit") : QStringLiteral("ž = argmin E");
    } else {
        reduce.id = reduce.symbol = QStringLiteral("softmin");
        // Two short lines: one long one would run across the C -> E edge.
        reduce.formula = g.term == GraphTerm::Posterior ? QStringLiteral("e^(−βE(y, z*))\n/ Σ_z e^(−βE)")
                                                        : QStringLiteral("−(1/β) log\nmean_z e^(−βE)");
    }
    reduce.inactive = g.term == GraphTerm::Energy;
    if (reduce.inactive)
        reduce.formula.clear(); // no reduction applied: no formula to read
    g.nodes << reduce;

    GraphNode out;
    out.id = QStringLiteral("F");
    out.shape = GraphShape::Output;
    out.at = {1.0, 1.0};
    out.side = LabelSide::Below;
    out.symbol = g.term == GraphTerm::Posterior ? QStringLiteral("P") : QStringLiteral("F");
    out.subscript = cold ? QStringLiteral("∞") : QStringLiteral("β");
    switch (g.term) {
    case GraphTerm::FreeEnergy:
        out.formula = QStringLiteral("β = %1").arg(betaText(beta));
        break;
    case GraphTerm::ZeroTemperature:
        out.formula = sparse ? QStringLiteral("E(ẏ, ž₂)") : QStringLiteral("E(y, ž)");
        break;
    case GraphTerm::Posterior:
        out.formula = QStringLiteral("P(z* | y), β = %1").arg(betaText(beta));
        break;
    case GraphTerm::Energy:
        out.inactive = true;
        break;
    }
    g.nodes << out;

    g.edges = {{QStringLiteral("y"), QStringLiteral("C"), {}},
               {QStringLiteral("z"), QStringLiteral("Dec"), {}},
               {QStringLiteral("Dec"), QStringLiteral("C"), QStringLiteral("ỹ")},
               {QStringLiteral("z"), QStringLiteral("R"), {}},
               {QStringLiteral("C"), QStringLiteral("E"), {}},
               {QStringLiteral("R"), QStringLiteral("E"), {}},
               {QStringLiteral("E"), reduce.id, {}},
               {reduce.id, QStringLiteral("F"), {}}};

    switch (g.term) {
    case GraphTerm::FreeEnergy:
    case GraphTerm::ZeroTemperature:
        g.highlighted = {reduce.id, QStringLiteral("E"), QStringLiteral("F")};
        break;
    case GraphTerm::Energy:
        g.highlighted = {QStringLiteral("E"), QStringLiteral("z")};
        break;
    case GraphTerm::Posterior:
        g.highlighted = {reduce.id, QStringLiteral("F"), QStringLiteral("z")};
        break;
    }
    if (sparse && !(kind == FieldKind::ZeroTemperature || (kind == FieldKind::FreeEnergy && std::isinf(beta))))
        g.note = QStringLiteral("Sparse coding defines F∞ only");
    return g;
}

} // namespace ebm

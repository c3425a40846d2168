// The lecture's energy computation graph of a latent-variable EBM, as data: E(y, z) = C(y, Dec(z)) + R(z), then the
// min (F_inf) or softmin (F_beta) over z. One description per model and displayed field, shared by the panel that
// paints it and by the tests that check what it paints.
#pragma once

#include "math/energymodel.h"
#include "math/field.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

namespace ebm {

enum class GraphShape {
    Observed, //!< a variable we see: shaded circle (y)
    Latent,   //!< a variable we do not see: open circle (z)
    Function, //!< a deterministic function: rounded box (Dec)
    Factor,   //!< a cost term: square (C, R)
    Sum,      //!< the energy, the sum of the factors
    Reduce,   //!< min or softmin over z
    Output,   //!< the field the plane shows (F_inf, F_beta, P_beta)
};

//! Where a node's formula goes relative to it.
enum class LabelSide { Below, Above, Left, Right, BelowRight };

struct GraphNode
{
    QString id; //!< stable name: y, z, Dec, C, R, E, min or softmin, F
    GraphShape shape = GraphShape::Latent;
    QString symbol;    //!< drawn inside the node, e.g. "Dec", "min"
    QString subscript; //!< drawn after the symbol, lowered and smaller (z, β, ∞); may be empty
    QString formula;   //!< drawn beside the node, e.g. "‖y − ỹ‖²"; lines split by \n; may be empty
    QPointF at;        //!< centre, as fractions of the drawing area (the outer nodes' centres span [0, 1])
    LabelSide side = LabelSide::Below;
    bool inactive = false; //!< not part of the displayed computation (R = 0, the reduction of E(y, z*)): dimmed

    //! \brief the symbol as one string, "F_β" for symbol F with subscript β
    QString name() const { return subscript.isEmpty() ? symbol : symbol + QLatin1Char('_') + subscript; }
};

struct GraphEdge
{
    QString from, to;
    QString label; //!< on the edge (ỹ on Dec -> C); may be empty
};

//! What the plane shows, in the graph's terms.
enum class GraphTerm { FreeEnergy, ZeroTemperature, Energy, Posterior };

struct FactorGraph
{
    QList<GraphNode> nodes;
    QList<GraphEdge> edges;
    GraphTerm term = GraphTerm::FreeEnergy;
    QStringList highlighted; //!< ids of the highlighted nodes, the principal one first
    QString note;            //!< one line under the graph (e.g. a field the model does not define); may be empty

    const GraphNode *node(const QString &id) const;
};

//! \brief the term of field \a kind at \a beta for \a model: F at beta = inf is F_inf; sparse coding has F_inf only
GraphTerm graphTerm(ModelKind model, FieldKind kind, double beta);

//! The colour of a term, as the latent panel draws it: orange for beta (F_beta, the posterior), red for zero
//! temperature (F_inf), blue for the energy E(y, z*).
QColor termColour(GraphTerm term);

//! \brief the computation graph of \a model showing field \a kind at \a beta (inf: zero temperature); \a zStar is
//! the latent of E(y, z*) and P(z* | y) (the ellipse's angle, K-means' cluster index)
FactorGraph factorGraph(ModelKind model, FieldKind kind, double beta, double zStar = 0.0);

} // namespace ebm

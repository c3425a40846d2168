// What the training controls offer, shared by the training panel and the compare view: the losses and negative
// strategies with their labels, the speed slider's scale, and the look of the training plots.
#pragma once

#include "math/trainer.h"

#include <QFont>
#include <QString>

class QCPAxis;
class QComboBox;

namespace ebm::trainingchoices {

//! The speed slider is logarithmic: position p gives 10^(p / 10) epochs per second, rounded; the top position is
//! "as fast as it computes" (infinity).
constexpr int kSpeedPositions = 30;
constexpr int kDefaultSpeedPosition = 13; // 20 epochs per second: each epoch is visible

double speedAt(int position);
QString speedText(double epochsPerSecond);

//! Fills \a box with every loss (item data: int(LossKind)) and its formula as tooltip.
void fillLosses(QComboBox *box);
//! Fills \a box with the negative-sample strategies (item data: int(NegativeStrategy)).
void fillStrategies(QComboBox *box);
//! Selects the item whose data is \a value (nothing if none).
void selectData(QComboBox *box, int value);
//! "β = ∞" or "β = 0.5"; and a short name of the configuration for titles ("hinge, m = 1, β = ∞").
QString betaText(double beta);
QString configSummary(const TrainingConfig &config);

//! The font of the training controls: the plot fonts' family, large enough to read next to the plots.
QFont controlFont(bool bold = false);
//! Axis label and tick fonts and pens of the training plots.
void styleAxis(QCPAxis *axis, const QString &label);

} // namespace ebm::trainingchoices

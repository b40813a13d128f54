// Element-wise activations of the trainer's hidden layers, forward and
// backward. The backward pass reads the activation's own output h (saved by
// the forward), as every derivative here is a function of it.
#pragma once

#include <string>
#include <vector>

#include "bn/name_list.hpp"

namespace bn {

enum class Activation { relu, tanh, sigmoid };

// The names, indexed by Activation: "relu", "tanh", "sigmoid".
const NameList& activation_names();
// One of activation_names(); throws std::invalid_argument naming `activation`.
Activation parse_activation(const std::string& name);
const char* activation_name(Activation a);

// relu: h = max(z, 0);  tanh: h = tanh z;  sigmoid: h = 1 / (1 + exp(-z))
void activation_forward(Activation a, const float* z, int n, float* h);

// dz = dh * f'(z), with f' written through h = f(z):
// relu: f' = [h > 0];  tanh: f' = 1 - h^2;  sigmoid: f' = h (1 - h)
void activation_backward(Activation a, const float* h, const float* dh, int n, float* dz);

}  // namespace bn

package org.deepeprop.experiment.model;

import org.deepeprop.net.NetworkConfig;
import org.deepeprop.net.Path;
import org.deepeprop.neuron.NeuronModel;
import org.deepeprop.verify.Case;

/**
 * The shape and neuron parameters of a network, shared by the float kernel and the double-precision
 * engine of this module ({@link Dynamics}, {@link MaskedBptt}, {@link LocalEprop}) so both run the
 * same network. Layers are 0-based; one membrane decay {@code alpha} for every layer.
 */
public record NetSpec(NeuronModel model, int inputs, int[] widths, int outputs, boolean recurrent,
                      float alpha, float vTh, float gamma, float beta, float rho) {

    /** A spec with the kernel's default neuron parameters. */
    public static NetSpec of(NeuronModel model, int inputs, int[] widths, int outputs, boolean recurrent, float alpha) {
        return new NetSpec(model, inputs, widths.clone(), outputs, recurrent, alpha, NetworkConfig.DEFAULT_V_TH,
                NetworkConfig.DEFAULT_GAMMA, NetworkConfig.DEFAULT_BETA, NetworkConfig.DEFAULT_RHO);
    }

    /** The spec of a gradient-check case (its weights are read by {@link Params#of(Case)}). */
    public static NetSpec of(Case c) {
        return new NetSpec(NeuronModel.parse(c.model()), c.inputs(), c.layers().clone(), c.outputs(), c.recurrent(),
                (float) c.alpha(), (float) c.vTh(), (float) c.gamma(), (float) c.beta(), (float) c.rho());
    }

    /** Number of layers {@code L}. */
    public int depth() {
        return widths.length;
    }

    /** Width {@code n_l} of layer {@code l}. */
    public int width(int l) {
        return widths[l];
    }

    /** Width of the top layer {@code n_L}. */
    public int top() {
        return widths[widths.length - 1];
    }

    /** Width below layer {@code l}: the input width for {@code l = 0}. */
    public int inputWidth(int l) {
        return l == 0 ? inputs : widths[l - 1];
    }

    /** Presynaptic length {@code P_l} (input block, recurrent block if any, bias). */
    public int presynaptic(int l) {
        return inputWidth(l) + (recurrent ? widths[l] : 0) + 1;
    }

    /** The kernel configuration of this network (symmetric feedback; an explicit B is set on the network). */
    public NetworkConfig config() {
        return NetworkConfig.builder()
                .inputs(inputs).layers(widths).outputs(outputs)
                .model(model).alpha(alpha).recurrent(recurrent)
                .vTh(vTh).gamma(gamma).beta(beta).rho(rho)
                .path(Path.AUTO)
                .build();
    }
}

"""The Portuguese (Brazil) table of `strings.STRINGS`: the same keys and `{placeholders}` as the
English one (tests/test_strings.py checks both), in the chapter's own terms (autoatenção, query,
key, value, pesos de atenção, máscara causal, produto escalar). See GLOSSARIO.md.

Kept in its own module so the English table and this one can be edited apart; `strings.py` adds it
as `STRINGS["pt"]`.
"""

PORTUGUESE: dict[str, str] = {
    # matrix editor
    "paste_placeholder": "Cole uma matriz: uma linha por linha de texto, números separados por "
                         "espaços, tabulações ou vírgulas. Separador decimal '.' (0.5, não 0,5).",
    "paste_button": "Usar a matriz colada",
    "paste_tooltip": "Substitui cada entrada desta matriz pelos números colados",
    "reset_button": "Valores do capítulo",
    "reset_tooltip": "Volta aos valores do exemplo do capítulo",
    "cell_tooltip": "{name} linha {row} coluna {col}",
    "editor_shape": "{rows} × {cols}",
    # messages next to a control
    "bad_number": "“{value}” na linha {row}, coluna {col} não é um número; use algarismos e ',' "
                  "ou '.' para os decimais (por exemplo -0,25). Mantido {old}.",
    "not_finite": "“{value}” na linha {row}, coluna {col} não é um número finito. Mantido {old}.",
    "paste_empty": "Nada para usar: cole uma linha de números por linha de texto.",
    "paste_bad_number": "Linha {line}: “{value}” não é um número (o separador decimal é ',' ou '.', "
                        "os números separados por espaços, tabulações ou ponto e vírgula). Nada foi "
                        "alterado.",
    "paste_not_finite": "Linha {line}: “{value}” não é um número finito. Nada foi alterado.",
    "paste_ragged": "A linha {line} tem {got} números, mas a linha 1 tem {expected}: todas as "
                    "linhas precisam do mesmo número de colunas. Nada foi alterado.",
    "paste_shape": "Esta matriz precisa ser {rows} × {cols} ({what}); a colada é "
                   "{got_rows} × {got_cols}. Nada foi alterado.",
    "paste_done": "Colada uma matriz {rows} × {cols}; primeira linha lida como {first}.",
    "reset_shape": "A matriz do capítulo é {rows} × {cols}, mas esta agora é {now_rows} × "
                   "{now_cols}; use “Exemplo do capítulo” para voltar tudo ao início.",
    "no_reset": "Esta matriz não tem valores no capítulo.",
    "rows_tokens": "uma linha por token",
    "rows_dims": "uma linha por dimensão de entrada d_model",
    "compute_failed": "Não foi possível calcular a atenção com esta mudança: {error} Continua "
                      "exibido o último resultado válido.",
    "callback_failed": "Algo deu errado ({error}); continua exibido o último resultado válido.",
    "empty_token": "Um token precisa de um rótulo; mantido “{old}”.",
    # explorer controls
    "title": "Explorador da autoatenção",
    "intro": "Edite qualquer número (tecle Enter ou clique fora para aplicar), cole matrizes "
             "inteiras, acrescente tokens ou mude os tamanhos: todos os resultados abaixo acompanham.",
    # editor titles are HTML (for the superscripts); keep the tags when translating
    "editor_X": "X: embeddings dos tokens (uma linha por token; rótulos editáveis)",
    "editor_W_q": "W<sup>Q</sup>: pesos da query (d<sub>model</sub> × d<sub>k</sub>)",
    "editor_W_k": "W<sup>K</sup>: pesos da key (d<sub>model</sub> × d<sub>k</sub>)",
    "editor_W_v": "W<sup>V</sup>: pesos do value (d<sub>model</sub> × d<sub>v</sub>)",
    "add_token": "Acrescentar token",
    "remove_token": "Remover o último token",
    "d_model": "d_model",
    "d_k": "d_k",
    "d_v": "d_v",
    "new_entries": "Novas entradas:",
    "fill_zeros": "zeros",
    "fill_random": "aleatórias (com semente)",
    "fill_tooltip": "Com que valores começam as novas linhas ou colunas quando você acrescenta um "
                    "token ou aumenta um tamanho",
    "seed": "semente",
    "causal": "causal",
    "causal_tooltip": "Cada token vê só a si mesmo e os tokens anteriores (a máscara do capítulo)",
    "bidirectional": "bidirecional",
    "bidirectional_tooltip": "Cada token vê todos os tokens (sem máscara, Corolário 1.1)",
    "causal_toggle": "Máscara",
    "scaled": "dividir os scores por √d_k",
    "focus": "Token em foco i:",
    "focus_option": "{index}: {token}",
    "reset_all": "Exemplo do capítulo",
    "reset_all_tooltip": "Volta aos três tokens do capítulo, a X e às matrizes de pesos",
    "save_title": "Salvar / carregar",
    "export": "Exportar JSON",
    "load": "Carregar JSON",
    "json_placeholder": "Clique em “Exportar JSON” para ver aqui a configuração atual (copie-a "
                        "para guardá-la), ou cole uma e clique em “Carregar JSON”.",
    "upload": "Carregar um arquivo",
    "download": "Baixar {name}",
    "exported": "Exportado: copie o texto ou baixe o arquivo.",
    "loaded": "Carregados {n} tokens, d_model = {d_model}, d_k = {d_k}, d_v = {d_v}.",
    "bad_json": "JSON inválido: {error}. Nada foi alterado.",
    "bad_config": "Não é uma configuração do explorador: {error}. Nada foi alterado.",
    "config_not_object": "esperava um objeto JSON com tokens, X, W_q, W_k, W_v",
    "config_missing": "falta {names}",
    "config_tokens": "tokens precisa ser uma lista de rótulos não vazios",
    "config_token_count": "{tokens} tokens, mas X tem {rows} linhas",
    "config_flags": "causal e scaled precisam ser true ou false",
    "config_focus": "focus precisa ser o índice de um token, de 0 a {last}",
    "too_few_tokens": "É preciso pelo menos um token.",
    "too_many_tokens": "No máximo {limit} tokens no explorador.",
    "size_range": "{name} precisa estar entre 1 e {limit}.",
    "new_token": "token {index}",
    # live views
    "view_Q": "Q = X W^Q (as queries q_i nas linhas)",
    "view_K": "K = X W^K (as keys k_j nas linhas)",
    "view_V": "V = X W^V (os values v_j nas linhas)",
    "view_output": "Saídas a_i (nas linhas) = pesos × V",
    "view_steps": "Passo a passo para o token em foco",
    "component": "componente",
    "token": "token",
    "repr": "AttentionExplorer: {n} tokens ({tokens}), d_model = {d_model}, d_k = {d_k}, "
            "d_v = {d_v}, {mode}; token em foco {focus}",
    # the variant a result was computed with (steps.mode_label, plot titles)
    "mode_label": "{direction}, {scaling}",
    "mode_causal": "causal",
    "mode_bidirectional": "bidirecional",
    "mode_scaled": "com escala",
    "mode_unscaled": "sem escala",
    # plots (selfattn_lib.plots); "\n" starts a new line of a title or axis label
    "plot_weights_title": "Pesos de atenção α\n{mode}",
    "plot_scores_title": "Scores {formula}\n{direction}",
    "plot_scores_scaled": "q·k / √d_k",
    "plot_scores_unscaled": "q·k (sem escala)",
    "plot_key_axis": "token da key j",
    "plot_query_axis": "token da query i",
    "plot_weights_masked_note": "▨ mascarado: um token futuro",
    "plot_scores_masked_note": "▨ removido pela máscara",
    "plot_mask_label": "mascarado (token futuro)",
    # contributions: {i}, {j} are subscript digits (₁, ₂, ...), {token} a token's label
    "plot_contributions_title": "De que é feito a{i} (“{token}”)",
    "plot_contribution_part": "α{i},{j} v{j} ({token})",
    "plot_contribution_total": "a{i} (total)",
    "plot_component_axis": "componente de a{i}",
    "plot_contribution_axis": "contribuição",
    # worked steps (selfattn_lib.steps)
    "step_projection": "**Projeção:** {formula} para o token {s}{word}.",
    "step_projection_component": "A componente {t} de {vector} é {x} vezes a coluna {t} de {matrix}:",
    "step_projection_all": "As {count} componentes (cada coluna de {matrix}, uma por vez):",
    "step_score": "**Score** do token {s}{word_i} (a query) com o token {t}{word_j} (a key):",
    "step_score_unscaled": "Sem escala: sem a divisão por {root}, então {formula}.",
    "step_score_masked": "O token {t} vem depois do token {s}: a máscara causal o esconde, então "
                         "este score recebe peso {formula}.",
    "step_softmax": "**Softmax** da linha {s}{word} sobre {over}: {formula}.",
    "step_softmax_all_tokens": "todos os tokens",
    "step_softmax_shift": "Os scores são grandes, então o maior deles, {top}, é subtraído de cada "
                          "um antes de $e^x$: os pesos continuam os mesmos.",
    "step_softmax_masked": "Tokens mascarados (futuros) {tokens}: peso exatamente 0.",
    "step_softmax_sum": "Os pesos da linha {s} somam 1.",
    "step_output": "**Saída** do token {s}{word}: os values {values} ponderados por {alpha}.",
    "step_worked": "Exemplo resolvido para o token {s}{word} ({mode})",
    "step_1": "**Passo 1: projeções.**",
    "step_keys_values": "As keys e os values com que ele se compara, calculados do mesmo jeito:",
    "step_2": "**Passo 2: scores.**",
    "step_3": "**Passo 3: softmax.**",
    "step_4": "**Passo 4: soma ponderada dos values.**",
    "step_column_score": "score",
    "step_column_token": "token",
    "step_column_vector": "vetor",
    # exercícios: dicas para os deslizes apontados na issue 15 (a lógica de diagnóstico)
    "hint.same_number": "O mesmo número também sai de outro deslize; se foi isso que você fez: {other}",
    "hint.score_index": "Você usou q_{a} e k_{b}, os vetores dos tokens {a} e {b}. O Python conta a "
                        "partir de 0: x_{s} é a linha {i} (Q[{i}]) e x_{t} é a linha {j} (K[{j}]); o "
                        "i={i}, j={j} da conferência já está contado a partir de 0.",
    "hint.no_exp": "Você dividiu os scores pela soma deles, sem exponenciais. A softmax aplica e^score "
                   "primeiro: alpha_ij = e^score_ij / sum_k e^score_ik (np.exp). Dividir os próprios "
                   "scores falha assim que um deles é negativo ou a soma é 0.",
    "hint.unweighted_mean": "Essa é a média simples dos values, com todo token contando igual. A "
                            "atenção pondera cada v_j pelo seu próprio alpha_ij (result.weights): "
                            "a_i = sum_j alpha_ij v_j.",
    "hint.weights_row": "Esses são os pesos do token {got}, a linha {got} dos pesos. O Python conta a "
                        "partir de 0: os scores do token {s} são result.scores[{i}].",
    "hint.output_row": "Esse é o a_{got}, a saída do token {got}. O Python conta a partir de 0: a_{s} "
                       "usa a linha {i} (result.weights[{i}]).",
    "hint.changed_zero_based": "Ainda não: [{got}] parecem índices do Python, contados a partir de 0 "
                               "(a primeira saída contada como 0). Dê os subscritos do capítulo, que "
                               "começam em 1: a primeira saída é a_1.",
    # exercises of notebooks 10-12 (selfattn_lib.exercises_more)
    "ex_unanswered": "Ainda sem resposta: troque None pela sua resposta e rode a célula de novo.",
    "ex_not_number": "A resposta é um número; veio {got}.",
    "ex_not_index": "A resposta é um número inteiro, uma posição ou uma cabeça contada a partir de 0; "
                    "veio {got}.",
    "ex_not_bool": "A resposta é True ou False; veio {got}.",
    "ex_other": "Ainda não. {hint}",
    "pe_right": "Correto! PE[{pos}, {column}] = {function}({pos} / 10000^({two_i}/{d_model})) = "
                "{value:.6f}.",
    "pe_swapped": "As colunas pares (0, 2, ...) têm o seno e as ímpares o cosseno; você usou a outra "
                  "função.",
    "pe_pair_index": "O expoente usa o índice do par i = column // 2 ({i}), não a própria coluna: as "
                     "colunas 2i e 2i+1 compartilham a mesma frequência.",
    "pe_degrees": "O sin e o cos do numpy recebem radianos; o seu número é o seno ou o cosseno em "
                  "graus.",
    "pe_hint": "Ache o par i = column // 2, o ângulo pos / 10000^(2i / d_model), e depois sin para "
               "uma coluna par, cos para uma ímpar.",
    "order_right": "Correto! A última palavra vê todas as anteriores e, sem posições, ela as vê como "
                   "um conjunto: qualquer ordem das palavras antes dela dá a mesma saída.",
    "order_wrong": "Não é bem assim: a máscara decide quais palavras a última palavra vê (todas, "
                   "aqui), não em que ordem. Compare as duas linhas impressas.",
    "heads_right": "Correto! A cabeça {head} põe, em média, {weight:.2f} da atenção da última "
                   "palavra no sujeito.",
    "heads_noun": "A cabeça {head} olha para o substantivo (peso médio {weight:.2f}), não para o "
                  "sujeito: leia a coluna do sujeito na tabela.",
    "heads_range": "Só existem as cabeças 0 a {last}.",
    "concat_right": "Correto! {n_heads} cabeças de {d_v} colunas lado a lado: {n} x {width}.",
    "concat_one_head": "Essa é a saída de uma cabeça só. A concatenação põe as saídas das "
                       "{n_heads} cabeças lado a lado.",
    "concat_stacked": "Essas são as cabeças empilhadas uma sobre a outra (um array 3-D). A "
                      "concatenação as põe lado a lado: uma linha por token.",
    "concat_transposed": "Linhas e colunas estão trocadas: uma linha por token, uma coluna por "
                         "componente de cada cabeça.",
    "concat_hint": "Uma linha por token; as colunas da cabeça 0, depois as da cabeça 1, ...",
    "shape_expected": "A resposta é uma forma (shape), uma tupla como (3, 4); veio {got}.",
    "leak_right": "Correto! Sem a máscara, a posição {t} presta atenção sobretudo à posição {j}: a "
                  "próxima palavra, justamente a que ela deve prever.",
    "leak_self": "A posição {t} é a própria palavra; o modelo sem máscara achou algo melhor para "
                 "ler. Olhe a linha {t} dos pesos dele.",
    "leak_past": "Essa é uma palavra anterior; sem a máscara o modelo olha para a frente. Olhe a "
                 "linha {t} dos pesos dele.",
    "leak_hint": "Leia a linha {t} dos pesos do modelo sem máscara e ache a maior entrada.",
    "best_right": "Correto! Depois de “o” vêm seis substantivos masculinos, igualmente prováveis: a "
                  "melhor previsão possível dá 1/6 a cada um, uma perda de ln 6 = {value:.4f}.",
    "best_ignored_gender": "Isso é ln 12: doze substantivos. Mas “o” é masculino, então só os seis "
                           "substantivos masculinos podem vir depois.",
    "best_probability": "Essa é a probabilidade do substantivo certo; a perda é −ln dela.",
    "best_other_log": "A perda usa o logaritmo natural (ln), não o log na base 2 ou 10.",
    "best_hint": "Conte os substantivos que podem vir depois de “o”; o melhor modelo espalha a "
                 "probabilidade igualmente entre eles, e a perda é −ln da probabilidade do "
                 "substantivo certo.",
    # plots of notebooks 10-11 (selfattn_lib.plots_more)
    "plot_encoding_title": "Codificação posicional senoidal PE ({n} posições × d_model = "
                           "{d_model})",
    "plot_position_axis": "posição (linha)",
    "plot_column_axis": "coluna de PE (pares: sin, cos)",
    "plot_head_title": "cabeça {head}",
    # explorer under hostile input (issue 14)
    "alt_attention": "Dois mapas de calor para {n} tokens ({mode}). À esquerda: os scores, de {low} a "
                     "{high}. À direita: os pesos de atenção α; a linha do foco {focus} está contornada. "
                     "O maior peso de cada token de query: {rows}.",
    "alt_contributions": "Barras empilhadas: de que é feito a{i} (“{token}”), uma cor por token j "
                         "(α{i},j v_j); seus componentes são {output}.",
    "alt_weights_row": "{token} → {most} ({weight})",
    "compute_failed_short": "Não foi possível calcular a atenção com esta mudança: {error} Nada foi "
                            "alterado.",
    "config_d_k": "W_q tem {q} colunas, mas W_k tem {k}; as duas são d_k",
    "config_format": "não é um arquivo salvo por {format} (versão 1)",
    "config_matrix": "{name} precisa ser uma lista de linhas do mesmo comprimento",
    "config_matrix_size": "{name} tem no máximo {rows} linhas e {cols} colunas",
    "config_numbers": "{name} só pode conter números; veio {value}",
    "config_rows": "{name} tem {rows} linhas, mas X tem d_model = {d_model} colunas",
    "config_token_long": "um rótulo de token tem no máximo {limit} caracteres, em uma só linha",
    "decimal_comma": "“{value}” na linha {row}, coluna {col}: aqui o separador decimal é '.' "
                     "(escreva 0.5, não 0,5). Mantido {old}.",
    "draw_failed": "Não foi possível desenhar as figuras com esta mudança ({error}); nada foi alterado.",
    "focus_range": "O token em foco precisa ser um dos tokens, de 0 a {last}. Nada foi alterado.",
    "json_label": "Configuração como texto JSON",
    "json_not_utf8": "O arquivo não é texto UTF-8. Nada foi alterado.",
    "json_too_deep": "aninhado demais",
    "json_too_long": "Uma configuração tem no máximo {limit} caracteres (veio {got}). Nada foi "
                     "alterado.",
    "label_control": "Um rótulo de token é uma linha de texto (sem tabulações nem quebras de linha); "
                     "mantido “{old}”.",
    "label_too_long": "Um rótulo de token tem no máximo {limit} caracteres (veio {got}); mantido "
                      "“{old}”.",
    "label_tooltip": "rótulo do token {row}",
    "number_too_long": "Linha {row}, coluna {col}: no máximo {limit} caracteres numa caixa de número. "
                       "Mantido {old}.",
    "paste_ambiguous": "Linha {line}: “{value}” pode ser um número com vírgula decimal ou vários "
                       "números separados por vírgulas. Use '.' para os decimais (0.5) e espaços, "
                       "tabulações ou ponto e vírgula entre os números. Nada foi alterado.",
    "paste_comma_separator_pt": "Linha {line}: aqui a vírgula separa números, mas em português a "
                                "vírgula é o separador decimal. Separe os números com espaços, "
                                "tabulações ou ponto e vírgula (0,5; 0,5). Nada foi alterado.",
    "paste_label": "Cole uma matriz {name} inteira",
    "paste_placeholder_pt": "Cole uma matriz: uma linha por linha de texto, números separados por "
                            "espaços, tabulações ou ponto e vírgula. Separador decimal ',' ou '.' "
                            "(0,5 ou 0.5).",
    "paste_shape_plain": "Esta matriz precisa ser {rows} × {cols}; veio {got_rows} × {got_cols}. "
                         "Nada foi alterado.",
    "paste_too_big": "Uma matriz colada tem no máximo {rows} linhas e {cols} colunas. Nada foi "
                     "alterado.",
    "paste_too_long": "No máximo {limit} caracteres podem ser colados (veio {got}). Nada foi alterado.",
    "size_not_integer": "{name} precisa ser um número inteiro; veio {value}. Nada foi alterado.",
    "size_range_kept": "{name} precisa estar entre 1 e {limit}; veio {value}, mantido {kept}.",
    "too_large": "{name} teria {value} (linha {row}, coluna {col}); o explorador mostra números até "
                 "±{limit} para que toda tabela e toda figura possam ser desenhadas. Nada foi alterado.",
}

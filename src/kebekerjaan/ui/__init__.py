"""What staff see and click: the ipywidgets forms of the step notebooks and the staff app
(Voila) built from them. Logic stays in the steps; these modules only ask and show.
"""

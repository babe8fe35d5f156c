<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">
  <gml:featureMember><ogr:x><ogr:geometryProperty><gml:Point><gml:coordinates>not,numbers</gml:coordinates></gml:Point>
